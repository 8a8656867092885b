using System.Net;

namespace OpenClaw.Channels.Discord;

/// <summary>Discord's REST API refused a call after bounded retries. <see cref="ChannelDeliveryException.ErrorCode"/>
/// holds Discord's JSON error <c>code</c> (e.g. <c>50035</c> invalid form body) or, when absent, the HTTP status
/// (e.g. <c>429</c>). See discord.com/developers/docs/topics/opcodes-and-status-codes#json.</summary>
/// <param name="message">What failed, without secrets.</param>
/// <param name="innerException">The cause, when there is one.</param>
public sealed class DiscordApiException(string message, Exception? innerException = null)
    : ChannelDeliveryException(message, innerException)
{
    /// <summary>The HTTP status of the last response; <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; init; }
}
