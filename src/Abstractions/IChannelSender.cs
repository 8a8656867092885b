namespace OpenClaw.Channels;

/// <summary>Sends to one platform: formats (Markdown to the platform's dialect), splits to
/// <see cref="ChannelCapabilities.MaxTextLength"/> in order, paces to the platform's rate limits and retries
/// transient failures (429 with its retry-after, 5xx) a bounded number of times.</summary>
public interface IChannelSender
{
    /// <summary>Channel name this sender serves, e.g. <c>telegram</c>.</summary>
    string Channel { get; }

    /// <summary>What the channel can do.</summary>
    ChannelCapabilities Capabilities { get; }

    /// <summary>Sends (or, with <see cref="OutboundMessage.EditMessageId"/>, edits) a message.</summary>
    /// <param name="message">The message; its text may exceed the platform limit.</param>
    /// <param name="cancellationToken">Cancels pacing waits and HTTP calls.</param>
    /// <returns>The ids of the posted platform messages, one per chunk, in order.</returns>
    /// <exception cref="ChannelDeliveryException">The platform refused the message after bounded retries.</exception>
    Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);

    /// <summary>Shows the typing indicator in the target chat once (the caller repeats it every
    /// <see cref="ChannelCapabilities.TypingIntervalMs"/>). Failures are swallowed and logged: typing is cosmetic.</summary>
    /// <param name="target">The chat (and thread) to show it in.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken);
}
