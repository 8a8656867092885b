using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.WebChat;

/// <summary>The web chat's log lines. Message text and session cookies are never logged.</summary>
internal static partial class WebChatLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Web chat rejected a malformed message: {Reason}")]
    public static partial void Malformed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Web chat could not hand a message to the pipeline")]
    public static partial void PipelineFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Web chat message {Outcome}")]
    public static partial void Accepted(ILogger logger, InboundOutcome outcome);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "Web chat refused a {Method} request with {StatusCode}")]
    public static partial void Refused(ILogger logger, string method, int statusCode);
}
