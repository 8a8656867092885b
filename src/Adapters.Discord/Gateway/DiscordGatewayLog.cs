using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Discord;

/// <summary>The gateway worker's log messages (category <see cref="DiscordGatewayClient"/>).</summary>
internal static partial class DiscordGatewayLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Critical, Message = "Discord gateway stopped for good, not reconnecting: {Reason}")]
    public static partial void Stopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Discord gateway disconnected ({Reason}); next: {Next} in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger logger, string reason, string next, long delayMs);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Discord gateway connection error {Error}: {Message}")]
    public static partial void ConnectionError(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Discord gateway zombie connection: no heartbeat ACK since the last beat; closing to resume")]
    public static partial void Zombie(ILogger logger);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Discord gateway identifying with intents {Intents}")]
    public static partial void Identifying(ILogger logger, int intents);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Discord gateway resuming from sequence {Seq}")]
    public static partial void Resuming(ILogger logger, long seq);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "Discord gateway READY as user {UserId}")]
    public static partial void Ready(ILogger logger, string userId);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "Discord gateway RESUMED")]
    public static partial void Resumed(ILogger logger);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Discord session starts exhausted; waiting {ResetAfterMs} ms before identifying")]
    public static partial void SessionStartsExhausted(ILogger logger, int resetAfterMs);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Discord MESSAGE_CREATE malformed ({Error}); skipped")]
    public static partial void Malformed(ILogger logger, string error);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Debug, Message = "Discord message {MessageId}: {Outcome}")]
    public static partial void Accepted(ILogger logger, string messageId, string outcome);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Error, Message = "Inbound pipeline failed for Discord message {MessageId} ({Error}); resuming so it is replayed")]
    public static partial void PipelineFailed(ILogger logger, string messageId, string error);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Discord interaction {InteractionId}: initial response refused ({Code})")]
    public static partial void InteractionCallbackFailed(ILogger logger, string interactionId, string? code);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Warning, Message = "Discord shard {ShardId}: storing the session failed ({Error}); the next holder may identify anew")]
    public static partial void SessionSaveFailed(ILogger logger, int shardId, string error);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Information, Message = "Discord shard {ShardId}/{ShardCount} owned by node {NodeId} (lease {Resource}, fencing token {FencingToken})")]
    public static partial void ShardOwned(ILogger logger, int shardId, int shardCount, string nodeId, string resource, long fencingToken);

    [LoggerMessage(EventId = 3116, Level = LogLevel.Information, Message = "Discord shard {ShardId}/{ShardCount} left by node {NodeId} ({How})")]
    public static partial void ShardLeft(ILogger logger, int shardId, int shardCount, string nodeId, string how);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Warning, Message = "Discord shard lease {Resource}: the store failed ({Error}); trying again")]
    public static partial void ShardLeaseFailed(ILogger logger, string resource, string error);

    [LoggerMessage(EventId = 3118, Level = LogLevel.Information, Message = "Discord gateway: {ShardCount} shard(s), max_concurrency {MaxConcurrency}")]
    public static partial void Topology(ILogger logger, int shardCount, int maxConcurrency);

    [LoggerMessage(EventId = 3119, Level = LogLevel.Warning, Message = "Discord gateway re-sharding: {Reason}; {ShardCount} shard(s) from now on")]
    public static partial void Resharding(ILogger logger, string reason, int shardCount);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Discord gateway set-up failed ({Error}); retrying in {DelayMs} ms")]
    public static partial void SetupFailed(ILogger logger, string error, long delayMs);
}
