using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Slack;

/// <summary>Source-generated log messages of the Slack adapter. Never carries tokens, secrets or payloads.</summary>
internal static partial class SlackLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Slack {Method} failed with {ErrorCode} (HTTP {StatusCode}).")]
    public static partial void ApiFailed(ILogger logger, string method, string errorCode, int statusCode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Slack {Method} answered {ErrorCode}; retry {Attempt} in {DelayMs} ms.")]
    public static partial void Retrying(ILogger logger, string method, string errorCode, int attempt, double delayMs);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Slack request rejected: {Reason}.")]
    public static partial void RequestRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Slack payload is malformed: {Reason}.")]
    public static partial void MalformedPayload(ILogger logger, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Debug, Message = "Slack event {EventId} dropped: {Reason}.")]
    public static partial void EventDropped(ILogger logger, string eventId, string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Debug, Message = "Slack event {EventId} handed to the pipeline: {Outcome}.")]
    public static partial void EventHandled(ILogger logger, string eventId, InboundOutcome outcome);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Error, Message = "Slack event {EventId}: the inbound pipeline failed; Slack will redeliver.")]
    public static partial void PipelineFailed(ILogger logger, string eventId, Exception exception);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Slack Socket Mode connection {ConnectionId} opened.")]
    public static partial void SocketOpened(ILogger logger, int connectionId);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Slack Socket Mode connection {ConnectionId} asked to disconnect ({Reason}); reconnecting first.")]
    public static partial void SocketDisconnectRequested(ILogger logger, int connectionId, string reason);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "Slack Socket Mode connection failed; reconnecting in {DelayMs} ms.")]
    public static partial void SocketFailed(ILogger logger, double delayMs, Exception exception);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "Slack Socket Mode connection {ConnectionId} closed.")]
    public static partial void SocketClosed(ILogger logger, int connectionId);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Debug, Message = "Slack Socket Mode envelope of type {Type} acknowledged without processing.")]
    public static partial void EnvelopeIgnored(ILogger logger, string type);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Slack bot identity lookup (auth.test) failed with {ErrorCode}.")]
    public static partial void AuthTestFailed(ILogger logger, string errorCode);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Information, Message = "Slack users.info for {UserId} failed with {ErrorCode}; the mention stays an id.")]
    public static partial void UserLookupFailed(ILogger logger, string userId, string errorCode);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Error, Message = "Slack disabled Socket Mode for the app (link_disabled); not reconnecting. Turn Socket Mode on in the app settings and restart.")]
    public static partial void SocketModeDisabled(ILogger logger);

    [LoggerMessage(EventId = 4026, Level = LogLevel.Information, Message = "Slack Socket Mode slot {Resource} owned by node {NodeId} (fencing token {FencingToken}); opening its connection.")]
    public static partial void SocketSlotOwned(ILogger logger, string resource, string nodeId, long fencingToken);

    [LoggerMessage(EventId = 4027, Level = LogLevel.Warning, Message = "Slack Socket Mode slot {Resource}: lease lost; its connection is closed and another node takes it.")]
    public static partial void SocketSlotLost(ILogger logger, string resource);

    [LoggerMessage(EventId = 4028, Level = LogLevel.Warning, Message = "Slack Socket Mode slot {Resource}: taking the lease failed; retrying in {DelayMs} ms.")]
    public static partial void SocketSlotLeaseFailed(ILogger logger, string resource, double delayMs, Exception exception);

    [LoggerMessage(EventId = 4029, Level = LogLevel.Information, Message = "Slack Socket Mode slot {Resource}: this node holds more than its share; closing its connection and handing it over to node {NodeId}.")]
    public static partial void SocketSlotHandedOver(ILogger logger, string resource, string nodeId);
}
