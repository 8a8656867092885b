using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Telegram;

/// <summary>Source-generated log messages of the Telegram adapter. Never logs tokens, secrets or payloads.</summary>
internal static partial class TelegramLog
{
    [LoggerMessage(1001, LogLevel.Warning, "Telegram webhook rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "Telegram webhook payload is malformed ({Length} bytes): {Error}")]
    public static partial void WebhookMalformed(ILogger logger, int length, string error);

    [LoggerMessage(1003, LogLevel.Debug, "Telegram update {UpdateId} of type {UpdateType} ignored")]
    public static partial void UpdateIgnored(ILogger logger, int updateId, string updateType);

    [LoggerMessage(1004, LogLevel.Error, "Telegram update {UpdateId}: the inbound pipeline failed")]
    public static partial void PipelineFailed(ILogger logger, int updateId, Exception exception);

    [LoggerMessage(1005, LogLevel.Error, "Telegram getUpdates conflict (409): {Description}. Is a webhook set or another instance polling bot {BotId}? Retrying in {DelayMs} ms")]
    public static partial void PollConflict(ILogger logger, string description, string botId, long delayMs);

    [LoggerMessage(1006, LogLevel.Error, "Telegram rejected the bot token (401) for bot {BotId}; polling backs off {DelayMs} ms")]
    public static partial void PollUnauthorized(ILogger logger, string botId, long delayMs);

    [LoggerMessage(1007, LogLevel.Warning, "Telegram polling failed; retrying in {DelayMs} ms")]
    public static partial void PollFailed(ILogger logger, long delayMs, Exception exception);

    [LoggerMessage(1008, LogLevel.Information, "Telegram polling started for bot {BotId} at offset {Offset}")]
    public static partial void PollStarted(ILogger logger, string botId, long offset);

    [LoggerMessage(1009, LogLevel.Information, "Telegram webhook set for bot {BotId} to {Url}")]
    public static partial void WebhookSet(ILogger logger, string botId, string url);

    [LoggerMessage(1010, LogLevel.Warning, "Telegram setWebhook failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    public static partial void WebhookSetFailed(ILogger logger, int attempt, long delayMs, Exception exception);

    [LoggerMessage(1011, LogLevel.Warning, "Telegram rejected HTML entities in chat {ChatId}; resending as plain text")]
    public static partial void EntitiesRejected(ILogger logger, string chatId);

    [LoggerMessage(1012, LogLevel.Warning, "Telegram {Method} to chat {ChatId} retried after {DelayMs} ms (attempt {Attempt}, code {ErrorCode})")]
    public static partial void SendRetry(ILogger logger, string method, string chatId, long delayMs, int attempt, int errorCode);

    [LoggerMessage(1013, LogLevel.Debug, "Telegram typing indicator to chat {ChatId} failed")]
    public static partial void TypingFailed(ILogger logger, string chatId, Exception exception);

    [LoggerMessage(1014, LogLevel.Warning, "Telegram getMe failed; the update is refused so Telegram redelivers it")]
    public static partial void GetMeFailed(ILogger logger, Exception exception);

    [LoggerMessage(1015, LogLevel.Warning, "Telegram bot {BotId} had a webhook set, which blocks polling; deleted it (keeping {PendingUpdates} pending updates)")]
    public static partial void WebhookDeletedForPolling(ILogger logger, string botId, int pendingUpdates);

    [LoggerMessage(1016, LogLevel.Information, "Telegram command menu set for bot {BotId} ({Count} commands)")]
    public static partial void CommandsSet(ILogger logger, string botId, int count);

    [LoggerMessage(1017, LogLevel.Warning, "Telegram setMyCommands failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    public static partial void CommandsSetFailed(ILogger logger, int attempt, long delayMs, Exception exception);

    [LoggerMessage(1018, LogLevel.Information, "Telegram polling of bot {BotId} owned by node {NodeId} (lease {Resource}, fencing token {FencingToken})")]
    public static partial void PollOwned(ILogger logger, string botId, string nodeId, string resource, long fencingToken);

    [LoggerMessage(1019, LogLevel.Warning, "Telegram polling of bot {BotId} stopped: node {NodeId} lost the lease {Resource}; another node may take over")]
    public static partial void PollLeaseLost(ILogger logger, string botId, string nodeId, string resource);

    [LoggerMessage(1020, LogLevel.Warning, "Telegram polling lease {Resource} could not be acquired; retrying in {DelayMs} ms")]
    public static partial void PollLeaseFailed(ILogger logger, string resource, long delayMs, Exception exception);

    [LoggerMessage(1040, LogLevel.Warning, "Telegram refused a photo in chat {ChatId} (error {ErrorCode}); sent as a link instead")]
    public static partial void PhotoRefused(ILogger logger, string chatId, string errorCode);
}
