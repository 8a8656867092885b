using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Discord;

/// <summary>The gateway worker's log messages (category <see cref="DiscordGatewayClient"/>).</summary>
internal static partial class DiscordGatewayLog
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord gateway stopped for good, not reconnecting: {Reason}")]
    public static partial void Stopped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway disconnected ({Reason}); next: {Next} in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger logger, string reason, string next, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway connection error {Error}: {Message}")]
    public static partial void ConnectionError(ILogger logger, string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway zombie connection: no heartbeat ACK since the last beat; closing to resume")]
    public static partial void Zombie(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway identifying with intents {Intents}")]
    public static partial void Identifying(ILogger logger, int intents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway resuming from sequence {Seq}")]
    public static partial void Resuming(ILogger logger, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway READY as user {UserId}")]
    public static partial void Ready(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway RESUMED")]
    public static partial void Resumed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord session starts exhausted; waiting {ResetAfterMs} ms before identifying")]
    public static partial void SessionStartsExhausted(ILogger logger, int resetAfterMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord MESSAGE_CREATE malformed ({Error}); skipped")]
    public static partial void Malformed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord message {MessageId}: {Outcome}")]
    public static partial void Accepted(ILogger logger, string messageId, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbound pipeline failed for Discord message {MessageId} ({Error}); resuming so it is replayed")]
    public static partial void PipelineFailed(ILogger logger, string messageId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord interaction {InteractionId}: initial response refused ({Code})")]
    public static partial void InteractionCallbackFailed(ILogger logger, string interactionId, string? code);
}
