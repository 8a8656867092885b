namespace OpenClaw.Channels.Telegram;

/// <summary>The Bot API refused a send after bounded retries. <see cref="ChannelDeliveryException.ErrorCode"/> holds
/// Telegram's <c>error_code</c> (e.g. <c>400</c>, <c>403</c>, <c>429</c>) and
/// <see cref="ChannelDeliveryException.RetryAfter"/> its <c>parameters.retry_after</c>; the inner exception is
/// Telegram.Bot's <c>ApiRequestException</c> or <c>RequestException</c>. Messages never contain the token.</summary>
/// <param name="message">What failed, without secrets.</param>
/// <param name="innerException">The cause, when there is one.</param>
public sealed class TelegramApiException(string message, Exception? innerException = null)
    : ChannelDeliveryException(message, innerException)
{
    /// <summary>The Bot API method that failed, e.g. <c>sendMessage</c>.</summary>
    public string? Method { get; init; }
}
