namespace OpenClaw.Channels.Telegram;

/// <summary>The Bot API refused a send after bounded retries. <see cref="ChannelDeliveryException.ErrorCode"/> holds
/// Telegram's <c>error_code</c> (e.g. <c>400</c>, <c>403</c>, <c>429</c>) and
/// <see cref="ChannelDeliveryException.RetryAfter"/> its <c>parameters.retry_after</c>; the inner exception is
/// Telegram.Bot's <c>ApiRequestException</c> or <c>RequestException</c>. Messages never contain the token.</summary>
public sealed class TelegramApiException : ChannelDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public TelegramApiException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed, without secrets.</param>
    public TelegramApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed, without secrets.</param>
    /// <param name="innerException">The cause.</param>
    public TelegramApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The Bot API method that failed, e.g. <c>sendMessage</c>.</summary>
    public string? Method { get; init; }
}
