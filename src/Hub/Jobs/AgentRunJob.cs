using System.ComponentModel;
using System.Diagnostics;
using Hangfire;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Hub.Telemetry;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>The Hangfire job "agent run": under the session lock, answers the session's queued messages one turn each,
/// oldest first, until the inbox is empty. Messages arriving meanwhile are taken by the same loop; once the inbox is
/// empty the session's pending mark is cleared atomically, so a later message schedules a new run.</summary>
internal sealed partial class AgentRunJob(
    ISessionStore store,
    ISessionLockProvider locks,
    IAgentRunner agent,
    ITranscriptStore transcripts,
    ChannelSenders senders,
    HubTelemetry telemetry,
    IOptions<HubOptions> hubOptions,
    IOptions<AgentOptions> agentOptions,
    TimeProvider time,
    ILogger<AgentRunJob> logger)
{
    /// <summary>The first typing indicator goes out only when the turn is still running after this long: a quick answer
    /// needs none, and skipping it saves one platform request per message (a quarter of the hub's HTTP calls per turn
    /// with a fast model, measured with bench/Load).</summary>
    internal static readonly TimeSpan FirstTypingDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>Runs the session. Hangfire substitutes its shutdown token for <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="AgentRunFailedException">At least one turn failed after its error reply was sent.</exception>
    [DisplayName("agent run {0}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var options = hubOptions.Value;
        var started = Stopwatch.GetTimestamp();
        var handle = await locks.AcquireAsync(sessionKey, TimeSpan.FromMilliseconds(options.LockWaitMs), cancellationToken).ConfigureAwait(false);
        telemetry.LockWait.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (handle is null)
        {
            // Another run holds the session; it drains the inbox before it lets go (or the rescue sweep takes over).
            LogBusy(logger, sessionKey);
            return;
        }

        var failures = new List<string>();
        await using (handle.ConfigureAwait(false))
        {
            while (true)
            {
                var message = await store.PeekAsync(sessionKey, cancellationToken).ConfigureAwait(false);
                if (message is null)
                {
                    if (await store.TryCompleteAsync(sessionKey, cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }

                    continue;
                }

                await store.TouchAsync(sessionKey, cancellationToken).ConfigureAwait(false);
                string? failure;
                try
                {
                    failure = await HandleAsync(sessionKey, message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // A message that breaks its turn must not block the session (or come back forever): dead-letter it.
                    LogTurnFailed(logger, sessionKey, ex);
                    await store.DeadLetterAsync(message, "turn failed: " + ex.GetType().Name, cancellationToken).ConfigureAwait(false);
                    failure = "turn failed: " + ex.GetType().Name;
                }

                if (failure is not null)
                {
                    failures.Add(failure);
                }

                await store.PopAsync(sessionKey, cancellationToken).ConfigureAwait(false);
            }
        }

        if (failures.Count > 0)
        {
            throw new AgentRunFailedException($"{failures.Count} turn(s) of {sessionKey} failed: {string.Join("; ", failures)}");
        }
    }

    private async Task<string?> HandleAsync(string sessionKey, ChannelMessage message, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(message, sessionKey);
        telemetry.QueueWait.Record((time.GetUtcNow() - SortableIdTime(message)).TotalMilliseconds, new KeyValuePair<string, object?>("queue", "chat"));
        if (!senders.TryGet(message.Channel, out var sender))
        {
            await store.DeadLetterAsync(message, "no sender for channel " + message.Channel, cancellationToken).ConfigureAwait(false);
            return "no sender for channel " + message.Channel;
        }

        var reply = await ChatCommandAsync(sessionKey, message, cancellationToken).ConfigureAwait(false);
        string? failure = null;
        string? placeholderId = null;
        if (reply is null)
        {
            Func<string, CancellationToken, Task>? onPartialText = null;
            if (sender.Capabilities is { PrefersStreaming: true, SupportsEdit: true })
            {
                (placeholderId, onPartialText) = await StartStreamAsync(sender, message, cancellationToken).ConfigureAwait(false);
            }

            var started = Stopwatch.GetTimestamp();
            AgentRunResult result;
            using (var typing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var typingLoop = sender.Capabilities.SupportsTyping ? TypingLoopAsync(sender, message.ReplyTarget, typing.Token) : Task.CompletedTask;
                try
                {
                    result = await agent.RunAsync(
                        new AgentRunRequest
                        {
                            SessionKey = sessionKey,
                            Messages = [message],
                            Target = message.ReplyTarget,
                            TraceId = message.TraceId,
                            OnPartialText = onPartialText,
                        },
                        cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await typing.CancelAsync().ConfigureAwait(false);
                    await typingLoop.ConfigureAwait(false);
                }
            }

            telemetry.RunDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("outcome", result.Status.ToString()));
            reply = result.Text;
            if (result.Status == AgentRunStatus.ModelFailed)
            {
                failure = result.Error ?? "model failed";
                LogModelFailed(logger, sessionKey, failure);
            }
        }

        try
        {
            await sender.SendAsync(
                new OutboundMessage
                {
                    Target = message.ReplyTarget,
                    Text = reply,
                    Format = TextFormat.Markdown,
                    InReplyToMessageId = message.Id,
                    TraceId = message.TraceId,
                    EditMessageId = placeholderId,
                },
                cancellationToken).ConfigureAwait(false);
            telemetry.Outbound.Add(1, new("channel", message.Channel), new("result", "ok"));
        }
        catch (Exception ex) when (ex is ChannelDeliveryException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            telemetry.Outbound.Add(1, new("channel", message.Channel), new("result", "failed"));
            LogSendFailed(logger, message.Channel, sessionKey, ex);
            await store.DeadLetterAsync(message, "send failed: " + ex.Message, cancellationToken).ConfigureAwait(false);
            failure ??= "send failed: " + ex.GetType().Name;
        }

        return failure;
    }

    /// <summary>Built-in commands: <c>/reset</c> starts a fresh transcript; <c>/status</c> shows session, model, queue.</summary>
    private async Task<string?> ChatCommandAsync(string sessionKey, ChannelMessage message, CancellationToken cancellationToken)
    {
        switch (message.Command?.Name)
        {
            case "reset":
            case "new":
                await transcripts.ResetAsync(sessionKey, cancellationToken).ConfigureAwait(false);
                return "Started a fresh session. Previous messages are forgotten.";
            case "status":
                var queued = Math.Max(0, await store.CountAsync(sessionKey, cancellationToken).ConfigureAwait(false) - 1);
                var turns = await transcripts.CountAsync(sessionKey, cancellationToken).ConfigureAwait(false);
                var model = string.IsNullOrWhiteSpace(agentOptions.Value.Endpoint) ? "not configured (set Agent:Endpoint)" : agentOptions.Value.Model;
                return $"Session: {sessionKey}\nModel: {model}\nQueued messages: {queued}\nTranscript entries: {turns}\nNode: {hubOptions.Value.NodeId}";
            default:
                return null;
        }
    }

    /// <summary>Streaming channels: posts a placeholder and returns a callback that edits it with the growing answer at
    /// most once a second, while the answer still fits one message (the final send posts any overflow).</summary>
    private async Task<(string? PlaceholderId, Func<string, CancellationToken, Task>? OnPartialText)> StartStreamAsync(IChannelSender sender, ChannelMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var placeholder = await sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = "…", Format = TextFormat.Plain, TraceId = message.TraceId }, cancellationToken).ConfigureAwait(false);
            var placeholderId = placeholder.PlatformMessageIds.Count > 0 ? placeholder.PlatformMessageIds[0] : null;
            if (placeholderId is null)
            {
                return (null, null);
            }

            var lastEdit = 0L;
            async Task EditAsync(string text, CancellationToken ct)
            {
                if (text.Length > sender.Capabilities.MaxTextLength || Stopwatch.GetElapsedTime(lastEdit) < TimeSpan.FromSeconds(1))
                {
                    return;
                }

                lastEdit = Stopwatch.GetTimestamp();
                try
                {
                    await sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = text, EditMessageId = placeholderId, TraceId = message.TraceId }, ct).ConfigureAwait(false);
                }
                catch (ChannelDeliveryException ex)
                {
                    LogTypingFailed(logger, ex);
                }
            }

            return (placeholderId, EditAsync);
        }
        catch (ChannelDeliveryException ex)
        {
            LogTypingFailed(logger, ex);
            return (null, null);
        }
    }

    private async Task TypingLoopAsync(IChannelSender sender, DeliveryTarget target, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(500, sender.Capabilities.TypingIntervalMs));
        try
        {
            await Task.Delay(FirstTypingDelay, time, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                await sender.SendTypingAsync(target, cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the turn ended
        }
        catch (Exception ex)
        {
            LogTypingFailed(logger, ex);
        }
    }

    private static Activity? StartActivity(ChannelMessage message, string sessionKey)
    {
        ActivityContext parent = default;
        if (message.TraceId is { Length: 32 } traceId)
        {
            parent = new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        }

        var activity = HubTelemetry.Source.StartActivity("agent turn", ActivityKind.Consumer, parent);
        activity?.SetTag("openclaw.session", sessionKey);
        activity?.SetTag("openclaw.channel", message.Channel);
        return activity;
    }

    private static DateTimeOffset SortableIdTime(ChannelMessage message) => SortableId.TryGetTime(message.Id) ?? message.Timestamp;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionKey} is busy; the run holding it takes the queued messages")]
    private static partial void LogBusy(ILogger logger, string sessionKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model failed for {SessionKey}: {Error}")]
    private static partial void LogModelFailed(ILogger logger, string sessionKey, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending to {Channel} for {SessionKey} failed; message dead-lettered")]
    private static partial void LogSendFailed(ILogger logger, string channel, string sessionKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A turn of {SessionKey} failed; its message was dead-lettered")]
    private static partial void LogTurnFailed(ILogger logger, string sessionKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Typing indicator or progress update failed")]
    private static partial void LogTypingFailed(ILogger logger, Exception exception);
}
