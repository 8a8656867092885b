namespace OpenClaw.Channels;

/// <summary>One platform plugged into the hub. Registered in DI by the adapter's <c>Add&lt;Platform&gt;Channel</c>
/// extension; the hub finds adapters through <c>IEnumerable&lt;IChannelAdapter&gt;</c>. Inbound transports
/// (webhook endpoint, long-poll worker, socket worker) hand normalized messages to <see cref="IInboundPipeline"/>.</summary>
public interface IChannelAdapter
{
    /// <summary>Channel name in lower case, e.g. <c>telegram</c>; equals <see cref="ChannelMessage.Channel"/> of its messages.</summary>
    string Channel { get; }

    /// <summary>Who may talk to the bot and when it answers in groups.</summary>
    ChannelPolicy Policy { get; }

    /// <summary>The outbound side.</summary>
    IChannelSender Sender { get; }
}
