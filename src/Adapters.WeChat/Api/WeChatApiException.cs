namespace OpenClaw.Channels.WeChat;

/// <summary>The WeChat or WeCom API refused a call (<c>errcode</c> ≠ 0, a non-2xx status or a transport failure).
/// <see cref="ChannelDeliveryException.ErrorCode"/> holds the <c>errcode</c> (e.g. <c>45015</c> out of the 48 h
/// window, <c>45047</c> out of quota, <c>40001</c> invalid token) or <c>http:{status}</c>. Messages never contain
/// the access token.</summary>
public sealed class WeChatApiException : ChannelDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public WeChatApiException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed, without secrets.</param>
    public WeChatApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed, without secrets.</param>
    /// <param name="innerException">The cause.</param>
    public WeChatApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The numeric <c>errcode</c> when the API returned one; null for HTTP and transport failures.</summary>
    public int? ErrCode { get; init; }
}
