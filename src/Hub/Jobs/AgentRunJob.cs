using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Hub.Inbound;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Hub.Telemetry;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>The Hangfire job "agent run": under the session lock, answers the session's queued messages one turn each,
/// oldest first, for at most <see cref="HubOptions.MaxTurnsPerRun"/> turns or <see cref="HubOptions.RunSliceMs"/>; then it
/// queues a new run behind the other sessions' runs (fairness). Once the inbox is empty the session's pending mark is
/// cleared atomically, so a later message schedules a new run.</summary>
/// <remarks>
/// <para>Exactly once, in order: the run acts only while its lease holds (checked before every send and pop; the pop is
/// a compare-and-pop by message id that also checks the lock's token in the same script). After a send, recording the
/// delivery (message id → platform message ids) and the pop are one atomic step in which the record lands whenever the
/// pop does not (if the step cannot run, the record is written on its own first), and a run that finds such a record
/// pops without sending. The pop that empties the inbox also completes the session and releases the lock.</para>
/// <para>Failures: a transient one (Redis, network, platform 5xx/429, model timeouts, a lost lease) stops the run with
/// the message still at the head and Hangfire retries the run with backoff; a deterministic one (the turn throws, the
/// platform refuses the content) is retried in the run up to <see cref="HubOptions.MaxMessageAttempts"/> times, then
/// dead-lettered with its reason. A model that stays down after its retries gets the user one short error reply and
/// marks the job failed; requeueing that job in the dashboard puts the failed messages back and answers them.</para>
/// <para>Shutdown: Hangfire's token stops the run taking new turns; the turn in flight finishes within
/// <see cref="HubOptions.ShutdownTimeoutMs"/> (then it is cancelled), the lock is released and the rest of the session
/// is handed to a run on another node.</para>
/// </remarks>
internal sealed partial class AgentRunJob(
    ISessionStore store,
    ISessionLockProvider locks,
    IAgentRunner agent,
    ChatCommands commands,
    ChannelSenders senders,
    SessionRouter router,
    HubTelemetry telemetry,
    InboundAdmission admission,
    IOptions<HubOptions> hubOptions,
    TimeProvider time,
    ILogger<AgentRunJob> logger)
{
    /// <summary>Job parameter holding the messages whose turn failed (JSON array), put back by a requeue.</summary>
    public const string FailedMessagesParameter = "FailedMessages";

    /// <summary>The first typing indicator goes out only when the turn is still running after this long: a quick answer
    /// needs none, and skipping it saves one platform request per message (a quarter of the hub's HTTP calls per turn
    /// with a fast model, measured with bench/Load).</summary>
    internal static readonly TimeSpan FirstTypingDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>Runs the session. Hangfire substitutes <paramref name="context"/> and its shutdown token for
    /// <paramref name="cancellationToken"/>.</summary>
    /// <param name="sessionKey">The session.</param>
    /// <param name="label">Display name in the dashboard: channel and chat title or user name.</param>
    /// <param name="context">Hangfire's perform context (job parameters); null when called directly.</param>
    /// <param name="cancellationToken">Shutdown: stop taking new turns.</param>
    /// <returns>What the run did (shown as the Succeeded state's result).</returns>
    /// <exception cref="AgentRunFailedException">At least one turn failed after its error reply was sent.</exception>
    /// <exception cref="AgentRunRetryException">A transient failure; Hangfire retries the run.</exception>
    [DisplayName("{1}")]
    [AutomaticRetry(
        Attempts = 20,
        DelaysInSeconds = new[] { 1, 2, 3, 5, 10, 15, 30, 60 },
        OnlyOn = new[] { typeof(AgentRunRetryException) },
        OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task<AgentRunSummary> RunAsync(string sessionKey, string label, PerformContext? context, CancellationToken cancellationToken)
    {
        var options = hubOptions.Value;
        var turns = new List<AgentTurnSummary>();
        var started = Stopwatch.GetTimestamp();
        ISessionLease? lease;
        try
        {
            lease = await locks.AcquireAsync(sessionKey, TimeSpan.FromMilliseconds(options.LockWaitMs), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TransientFailure.Is(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new AgentRunRetryException("acquiring the session lock failed: " + ex.GetType().Name, ex);
        }

        telemetry.LockWait.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (lease is null)
        {
            // Another run holds the session; it drains the inbox or queues a successor before it lets go.
            LogBusy(logger, sessionKey);
            return new AgentRunSummary(options.NodeId, turns, "busy");
        }

        // Turns in flight at shutdown get ShutdownTimeoutMs to finish; then they are cancelled and the lock released.
        using var hard = new CancellationTokenSource();
        using var onShutdown = cancellationToken.Register(() => hard.CancelAfter(options.ShutdownTimeoutMs));
        var failed = new List<ChannelMessage>();
        string ended;
        await using (lease.ConfigureAwait(false))
        {
            try
            {
                await RequeueFailedAsync(sessionKey, context, hard.Token).ConfigureAwait(false);
                // A job created within half a stale period: the session's pending mark is about as fresh (the append or
                // the hand-off that made the job wrote it), so its first peek records no progress (one command less per
                // run). A turn that outlasts the stale period is then judged by the sweep once: Processing on a live
                // server, alive, touched (and the run holds the lock, which no rescue passes).
                var touchFirst = context is null
                    || time.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(context.BackgroundJob.CreatedAt, DateTimeKind.Utc) >= TimeSpan.FromMilliseconds(options.StaleSessionMs) / 2;
                ended = await DrainAsync(sessionKey, lease, turns, failed, touchFirst, cancellationToken, hard.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!hard.IsCancellationRequested && (TransientFailure.Is(ex) || ex is LeaseLostException))
            {
                LogRetrying(logger, sessionKey, ex.GetType().Name);
                throw new AgentRunRetryException($"transient failure in {label}: {ex.GetType().Name}; turns so far: {Describe(turns)}", ex);
            }
        }

        if (ended != "drained")
        {
            // The rest of the session runs in a new job at the tail of the queue (or on another node at shutdown).
            HandOff(sessionKey, label, excludeSelf: ended == "shutdown");
        }

        if (failed.Count > 0)
        {
            // Only the error-replied turns come back on a requeue; dead letters are replayed from the dead-letter list.
            context?.SetJobParameter(FailedMessagesParameter, JsonSerializer.Serialize(failed, MessageSerializer.Options));
            throw new AgentRunFailedException($"{failed.Count} turn(s) of {label} failed (requeue this job to answer them again): {Describe(turns)}");
        }

        if (turns.Any(t => t.Outcome == "dead-lettered"))
        {
            throw new AgentRunFailedException($"message(s) of {label} were dead-lettered (replay them from the Dead letters page): {Describe(turns)}");
        }

        return new AgentRunSummary(options.NodeId, turns, ended);
    }

    private async Task<string> DrainAsync(string sessionKey, ISessionLease lease, List<AgentTurnSummary> turns, List<ChannelMessage> failed, bool touchFirst, CancellationToken stop, CancellationToken cancellationToken)
    {
        var touch = touchFirst;
        var options = hubOptions.Value;
        var slice = Stopwatch.GetTimestamp();
        var answered = 0;
        while (true)
        {
            if (_drained)
            {
                // The last pop found the inbox empty and completed the session (and released the lock) in its step.
                return "drained";
            }

            if (!lease.IsHeld)
            {
                throw new LeaseLostException();
            }

            if (stop.IsCancellationRequested)
            {
                return await store.CountAsync(sessionKey, cancellationToken).ConfigureAwait(false) == 0 && await store.TryCompleteAsync(sessionKey, cancellationToken).ConfigureAwait(false)
                    ? "drained"
                    : "shutdown";
            }

            if (answered >= options.MaxTurnsPerRun || Stopwatch.GetElapsedTime(slice) >= TimeSpan.FromMilliseconds(options.RunSliceMs))
            {
                if (await store.CountAsync(sessionKey, cancellationToken).ConfigureAwait(false) > 0)
                {
                    return "yielded";
                }
            }

            var head = await store.PeekAsync(sessionKey, touch, cancellationToken).ConfigureAwait(false);
            touch = true;
            if (head is null)
            {
                if (await store.TryCompleteAsync(sessionKey, cancellationToken).ConfigureAwait(false))
                {
                    return "drained";
                }

                continue;
            }

            var message = head.Message;
            _cleanHeadId = head.Clean ? message.Id : null;
            if (head.Delivery is { Complete: true })
            {
                // An earlier run sent the answer and stopped before its pop: pop without sending again.
                await PopAsync(sessionKey, message, lease, cancellationToken).ConfigureAwait(false);
                turns.Add(new AgentTurnSummary(message.Id, message.Channel, 0, 0, "already-delivered"));
                continue;
            }

            var queueWait = (long)(time.GetUtcNow() - SortableIdTime(message)).TotalMilliseconds;
            var modelTime = Stopwatch.GetTimestamp();
            try
            {
                var outcome = await HandleAsync(sessionKey, head, lease, cancellationToken).ConfigureAwait(false);
                turns.Add(new AgentTurnSummary(message.Id, message.Channel, queueWait, outcome.ModelMs, outcome.Outcome));
                if (outcome.Outcome == "model-failed")
                {
                    failed.Add(message);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !TransientFailure.Is(ex) && ex is not LeaseLostException)
            {
                // Deterministic: count the attempt; after MaxMessageAttempts the message is dead-lettered so the session moves on.
                _cleanHeadId = null; // the pop drops the count
                var attempts = await store.CountFailureAsync(message.Id, cancellationToken).ConfigureAwait(false);
                LogTurnFailed(logger, sessionKey, attempts, ex);
                if (attempts < options.MaxMessageAttempts)
                {
                    turns.Add(new AgentTurnSummary(message.Id, message.Channel, queueWait, (long)Stopwatch.GetElapsedTime(modelTime).TotalMilliseconds, "failed-attempt"));
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempts), time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await DeadLetterAsync(sessionKey, message, $"turn failed {attempts} times: {ex.GetType().Name}: {ex.Message}", lease, cancellationToken).ConfigureAwait(false);
                turns.Add(new AgentTurnSummary(message.Id, message.Channel, queueWait, 0, "dead-lettered"));
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                turns.Add(new AgentTurnSummary(message.Id, message.Channel, queueWait, (long)Stopwatch.GetElapsedTime(modelTime).TotalMilliseconds, "retry"));
                throw;
            }

            answered++;
        }
    }

    private async Task<(string Outcome, long ModelMs)> HandleAsync(string sessionKey, InboxHead head, ISessionLease lease, CancellationToken cancellationToken)
    {
        var message = head.Message;
        using var activity = StartActivity(message, sessionKey);
        telemetry.QueueWait.Record((time.GetUtcNow() - SortableIdTime(message)).TotalMilliseconds, new KeyValuePair<string, object?>("queue", "chat"));
        if (!senders.TryGet(message.Channel, out var sender))
        {
            await DeadLetterAsync(sessionKey, message, "no sender for channel " + message.Channel, lease, cancellationToken).ConfigureAwait(false);
            return ("dead-lettered", 0);
        }

        var reply = await commands.AnswerAsync(sessionKey, message, cancellationToken).ConfigureAwait(false);
        var outcome = reply is null ? "answered" : "command";
        string? placeholderId = head.Delivery?.PlaceholderId;
        IReadOnlyList<OutboundFile> files = [];
        long modelMs = 0;
        if (reply is null)
        {
            Func<string, CancellationToken, Task>? onPartialText = null;
            if (sender.Capabilities is { PrefersStreaming: true, SupportsEdit: true })
            {
                (placeholderId, onPartialText) = await StartStreamAsync(sender, message, placeholderId, lease, cancellationToken).ConfigureAwait(false);
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

            modelMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            telemetry.RunDuration.Record(modelMs, new KeyValuePair<string, object?>("outcome", result.Status.ToString()));
            reply = result.Text;
            files = result.Files;
            if (result.Status == AgentRunStatus.ModelFailed)
            {
                outcome = "model-failed";
                LogModelFailed(logger, sessionKey, result.Error ?? "model failed");
            }
        }

        // Fence: never send unless the lock is provably still ours.
        EnsureHeld(lease);
        SendResult sent;
        try
        {
            sent = await sender.SendAsync(
                new OutboundMessage
                {
                    Target = message.ReplyTarget,
                    Text = sender.Capabilities.SupportsFiles ? reply : OutboundSegments.InlinePlaceholders(reply, files),
                    Files = sender.Capabilities.SupportsFiles ? files : [],
                    Format = TextFormat.Markdown,
                    InReplyToMessageId = message.Id,
                    TraceId = message.TraceId,
                    EditMessageId = placeholderId,
                },
                cancellationToken).ConfigureAwait(false);
            telemetry.Outbound.Add(1, new("channel", message.Channel), new("result", "ok"));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            telemetry.Outbound.Add(1, new("channel", message.Channel), new("result", "failed"));
            LogSendFailed(logger, message.Channel, sessionKey, ex);
            throw;
        }

        // Delivered: the record and the pop are one atomic step (the record lands whenever the pop does not), so that a
        // run after a crash or a lost lease pops without sending again.
        var ids = placeholderId is not null && sent.PlatformMessageIds.Count == 0 ? [placeholderId] : sent.PlatformMessageIds;
        await PopAsync(sessionKey, message, lease, cancellationToken, new DeliveryRecord(ids, Complete: true, placeholderId)).ConfigureAwait(false);
        return (outcome, modelMs);
    }

    private static string Describe(List<AgentTurnSummary> turns)
        => turns.Count == 0 ? "none" : string.Join("; ", turns.Select(t => $"{t.MessageId} {t.Outcome}"));

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

    /// <summary>The session lease was lost: stop without side effects.</summary>
    private sealed class LeaseLostException() : Exception("The session lease was lost.");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionKey} is busy; the run holding it takes the queued messages")]
    private static partial void LogBusy(ILogger logger, string sessionKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model failed for {SessionKey}: {Error}")]
    private static partial void LogModelFailed(ILogger logger, string sessionKey, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending to {Channel} for {SessionKey} failed")]
    private static partial void LogSendFailed(ILogger logger, string channel, string sessionKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A turn of {SessionKey} failed (attempt {Attempt})")]
    private static partial void LogTurnFailed(ILogger logger, string sessionKey, long attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run of {SessionKey} stopped by a transient failure ({Error}); its message stays queued and the run is retried")]
    private static partial void LogRetrying(ILogger logger, string sessionKey, string error);
}
