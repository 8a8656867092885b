namespace OpenClaw.Channels.Slack;

/// <summary>A Slack Web API call failed: <c>{"ok":false,"error":"…"}</c> (HTTP 200), HTTP 429 (<c>ratelimited</c>,
/// with <see cref="ChannelDeliveryException.RetryAfter"/> from the <c>Retry-After</c> header in seconds), another
/// non-2xx status, or a network failure (docs.slack.dev/apis/web-api/). The message names the method and Slack's error
/// code, never the token.</summary>
/// <param name="message">What failed, without secrets.</param>
/// <param name="innerException">The cause, when there is one.</param>
public sealed class SlackApiException(string message, Exception? innerException = null)
    : ChannelDeliveryException(message, innerException)
{
    /// <summary>The Web API method called, e.g. <c>chat.postMessage</c>.</summary>
    public string? Method { get; init; }

    /// <summary>The HTTP status code, when a response arrived.</summary>
    public int? StatusCode { get; init; }
}
