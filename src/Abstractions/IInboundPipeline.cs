namespace OpenClaw.Channels;

/// <summary>The hub's inbound pipeline: dedupe → policy → router → enqueue. Adapters call it from their
/// transports and acknowledge the platform only after it returns (the message is then durably accepted).</summary>
public interface IInboundPipeline
{
    /// <summary>Accepts one normalized message.</summary>
    /// <param name="message">The message; <see cref="ChannelMessage.IdempotencyKey"/> is the dedupe key.</param>
    /// <param name="cancellationToken">Cancels the store calls.</param>
    /// <returns>Accepted, duplicate or ignored. A failure to store throws; the transport then answers non-2xx so the
    /// platform redelivers.</returns>
    ValueTask<InboundResult> AcceptAsync(ChannelMessage message, CancellationToken cancellationToken);
}
