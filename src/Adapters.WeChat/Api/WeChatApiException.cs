namespace OpenClaw.Channels.WeChat;

/// <summary>The WeChat or WeCom API refused a call (<c>errcode</c> ≠ 0, a non-2xx status or a transport failure).
/// <see cref="ChannelDeliveryException.ErrorCode"/> holds the <c>errcode</c> (e.g. <c>45015</c> out of the 48 h
/// window, <c>45047</c> out of quota, <c>40001</c> invalid token) or <c>http:{status}</c>. Messages never contain
/// the access token.</summary>
/// <param name="message">What failed, without secrets.</param>
/// <param name="innerException">The cause, when there is one.</param>
public sealed class WeChatApiException(string message, Exception? innerException = null)
    : ChannelDeliveryException(message, innerException)
{
    /// <summary>The numeric <c>errcode</c> when the API returned one; null for HTTP and transport failures.</summary>
    public int? ErrCode { get; init; }
}
