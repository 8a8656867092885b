using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.WeChat;

/// <summary>Source-generated log messages. No tokens, secrets, signatures or payloads.</summary>
internal static partial class WeChatLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "{Channel}: callback signature check failed ({Stage})")]
    public static partial void SignatureRejected(ILogger logger, string channel, string stage);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Channel}: malformed callback ({Reason})")]
    public static partial void Malformed(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "{Channel}: ignored callback of type {MsgType}")]
    public static partial void UnknownType(ILogger logger, string channel, string msgType);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "{Channel}: {PlatformMessageId} -> {Outcome}")]
    public static partial void Accepted(ILogger logger, string channel, string platformMessageId, InboundOutcome outcome);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "{Channel}: the inbound pipeline failed; answering 500 so WeChat retries")]
    public static partial void PipelineFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "{Channel}: passive reply {Outcome} for {PlatformMessageId}")]
    public static partial void PassiveReply(ILogger logger, string channel, string platformMessageId, string outcome);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "{Channel}: access token refreshed for {AccountId}, cached {TtlSeconds} s")]
    public static partial void TokenRefreshed(ILogger logger, string channel, string accountId, int ttlSeconds);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "{Channel}: access token rejected for {AccountId}; invalidated")]
    public static partial void TokenInvalidated(ILogger logger, string channel, string accountId);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Debug, Message = "{Channel}: typing indicator failed ({ErrorCode})")]
    public static partial void TypingFailed(ILogger logger, string channel, string? errorCode);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "{Channel}: answer to {ChatId} shortened to {Messages} messages")]
    public static partial void AnswerShortened(ILogger logger, string channel, string chatId, int messages);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "{Channel}: send failed with {ErrorCode}")]
    public static partial void SendFailed(ILogger logger, string channel, string? errorCode);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Debug, Message = "{Channel}: event {Event} acknowledged ({Handling})")]
    public static partial void EventAcknowledged(ILogger logger, string channel, string @event, string handling);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "{Channel}: answer to {ChatId} handed to the waiting callback (passive reply)")]
    public static partial void HandedOver(ILogger logger, string channel, string chatId);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Information, Message = "{Channel}: image sent as a link ({Reason}, {MediaType})")]
    public static partial void ImageAsLink(ILogger logger, string channel, string reason, string mediaType);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "{Channel}: the callback did not confirm the passive reply to {ChatId}; sending it through the customer-service API")]
    public static partial void NotConfirmed(ILogger logger, string channel, string chatId);

    [LoggerMessage(EventId = 5016, Level = LogLevel.Warning, Message = "{Channel}: confirming the passive reply for {PlatformMessageId} failed; the run sends it through the API as well")]
    public static partial void ConfirmFailed(ILogger logger, Exception exception, string channel, string platformMessageId);
}
