using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Cron;

/// <summary>The Hangfire job "cron run" on the <c>cron</c> queue: takes the job's overlap lease
/// (<c>cron:running:{jobId}</c>, value <c>{nodeId}/{runId}</c>, time to live <see cref="CronNodeOptions.NodeTtl"/>, extended
/// while the run lives, so it expires within that time after its node dies; a run whose lease is lost stops), runs the agent on the job's prompt under the session lock (the chat path's
/// <see cref="IAgentRunner"/> and <see cref="ISessionLockProvider"/>), posts the answer to the target through the
/// channel's sender and records the run in the history.</summary>
internal sealed partial class CronRunJob(
    ICronStore store,
    ISessionLockProvider locks,
    IAgentRunner agent,
    ChannelSenders senders,
    IOptions<CronOptions> cronOptions,
    IOptions<CronNodeOptions> nodeOptions,
    TimeProvider time,
    ILogger<CronRunJob> logger)
{
    /// <summary>Runs one fire of <paramref name="jobId"/>. Hangfire substitutes its shutdown token for
    /// <paramref name="cancellationToken"/>.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="jobName">Display name (for the dashboard).</param>
    /// <param name="fireTimeUtc">Scheduled fire time, ISO 8601 UTC.</param>
    /// <param name="manual">True for "run now".</param>
    /// <param name="cancellationToken">Shutdown.</param>
    /// <returns><see cref="CronRunStatus.Ok"/>, <see cref="CronRunStatus.SkippedOverlap"/>, <see cref="CronRunStatus.SkippedStale"/>,
    /// <see cref="CronRunOutcomeAttribute.Gone"/> or <see cref="CronRunOutcomeAttribute.Duplicate"/> (a second Hangfire
    /// job of a fire that already ran: nothing runs, nothing is recorded); all but the first end the Hangfire job Deleted with the reason
    /// (<see cref="CronRunOutcomeAttribute"/>), not Succeeded.</returns>
    /// <exception cref="AgentRunFailedException">The run failed (recorded in the history first); not retried.</exception>
    [DisplayName("cron {1} @ {2}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [CronRunOutcome]
    public async Task<string> RunAsync(string jobId, string jobName, string fireTimeUtc, bool manual, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            LogGone(logger, jobId);
            return CronRunOutcomeAttribute.Gone;
        }

        var options = cronOptions.Value;
        var node = nodeOptions.Value;
        var fireTime = DateTimeOffset.Parse(fireTimeUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var runId = SortableId.NewId(time.GetUtcNow());
        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var maxRuntime = job.MaxRuntimeSeconds is { } max ? TimeSpan.FromSeconds(max) : (TimeSpan?)null;
        var fireKey = fireTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (!manual && !await store.TryStartFireRunAsync(jobId, fireKey, runId, TimeSpan.FromSeconds(options.FireKeyTtlSeconds), cancellationToken).ConfigureAwait(false))
        {
            LogDuplicate(logger, jobId, fireTime);
            return CronRunOutcomeAttribute.Duplicate;
        }

        if (!manual && await store.GetStaleUntilAsync(jobId, cancellationToken).ConfigureAwait(false) is { } staleUntil && fireTime <= staleUntil)
        {
            LogStale(logger, jobId, fireTime);
            await RecordAsync(CronRunStatus.SkippedStale, "this fire's job waited in the queue while every node was down, and later fires of the job were missed meanwhile (the misfire policy decided about them); it does not run late", null).ConfigureAwait(false);
            return CronRunStatus.SkippedStale;
        }

        var lease = await store.TryLeaseAsync(jobId, node.NodeId + "/" + runId, node.NodeTtl, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            var holder = await store.GetLeaseHolderAsync(jobId, cancellationToken).ConfigureAwait(false);
            LogOverlap(logger, jobId, fireTime, holder);
            await RecordAsync(CronRunStatus.SkippedOverlap, $"the previous run is still going (lease held by {holder ?? "a run that just ended"})", null).ConfigureAwait(false);
            return CronRunStatus.SkippedOverlap;
        }

        string? error = null;
        var sessionKey = job.Session == CronSessionMode.Persistent
            ? $"agent:{node.AgentId}:cron:{job.SessionName ?? job.Id}"
            : $"agent:{node.AgentId}:cron:{job.Id}:{runId}";
        await using (lease.ConfigureAwait(false))
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            if (maxRuntime is { } runtime)
            {
                limit.CancelAfter(runtime);
            }

            try
            {
                error = await RunAgentAsync(job, sessionKey, node.LockWait, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && lease.Lost.IsCancellationRequested)
            {
                error = "the overlap lease was lost (the store did not answer, or another run took it); the run stopped";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"max runtime of {job.MaxRuntimeSeconds} s exceeded";
            }
            catch (ChannelDeliveryException ex)
            {
                error = $"delivery to {job.Target?.Channel} failed: {ex.GetType().Name} {ex.ErrorCode}".TrimEnd();
            }
            catch (HttpRequestException ex)
            {
                error = $"delivery to {job.Target?.Channel} failed: {ex.GetType().Name}";
            }
        }

        await RecordAsync(error is null ? CronRunStatus.Ok : CronRunStatus.Failed, error, sessionKey).ConfigureAwait(false);
        if (error is not null)
        {
            LogFailed(logger, jobId, fireTime, error);
            throw new AgentRunFailedException($"cron job {jobId} @ {fireTimeUtc} failed: {error}");
        }

        return CronRunStatus.Ok;

        Task RecordAsync(string status, string? reason, string? session) => store.AddRunAsync(
            new CronRun
            {
                RunId = runId,
                JobId = jobId,
                FireTimeUtc = fireTime,
                StartedUtc = started,
                DurationMs = stopwatch.ElapsedMilliseconds,
                Status = status,
                Error = reason,
                Manual = manual,
                Node = node.NodeId,
                SessionKey = session,
            },
            options.HistoryLimit,
            CancellationToken.None);
    }

    /// <returns>Null on success, else the error for the history.</returns>
    private async Task<string?> RunAgentAsync(CronJobDefinition job, string sessionKey, TimeSpan lockWait, CancellationToken cancellationToken)
    {
        IChannelSender? sender = null;
        if (job.Target is { } target && !senders.TryGet(target.Channel, out sender))
        {
            return "no sender for channel " + target.Channel;
        }

        var handle = await locks.AcquireAsync(sessionKey, lockWait, cancellationToken).ConfigureAwait(false);
        if (handle is null)
        {
            return "session " + sessionKey + " stayed busy";
        }

        AgentRunResult result;
        await using (handle.ConfigureAwait(false))
        {
            result = await agent.RunAsync(
                new AgentRunRequest
                {
                    SessionKey = sessionKey,
                    Prompt = job.Prompt,
                    Target = job.Target?.ToDeliveryTarget(),
                },
                cancellationToken).ConfigureAwait(false);
        }

        if (sender is not null && job.Target is { } to)
        {
            var files = sender.Capabilities.SupportsFiles;
            await sender.SendAsync(
                new OutboundMessage
                {
                    Target = to.ToDeliveryTarget(),
                    Text = files ? result.Text : OutboundSegments.InlinePlaceholders(result.Text, result.Files),
                    Files = files ? result.Files : [],
                    Format = TextFormat.Markdown,
                },
                cancellationToken).ConfigureAwait(false);
        }

        return result.Status is AgentRunStatus.ModelFailed or AgentRunStatus.ModelNotConfigured
            ? result.Error ?? result.Status.ToString()
            : null;
    }

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Cron job {JobId} was deleted before its run")]
    private static partial void LogGone(ILogger logger, string jobId);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Warning, Message = "Cron job {JobId} fire {FireTime}: a run of this fire already started (its Hangfire job was created twice); this one does nothing")]
    private static partial void LogDuplicate(ILogger logger, string jobId, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 8203, Level = LogLevel.Information, Message = "Cron job {JobId} fire {FireTime} skipped as stale: its job waited in the queue while every node was down and later fires were missed")]
    private static partial void LogStale(ILogger logger, string jobId, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 8204, Level = LogLevel.Information, Message = "Cron job {JobId} fire {FireTime} skipped: the previous run is still going (lease held by {Holder})")]
    private static partial void LogOverlap(ILogger logger, string jobId, DateTimeOffset fireTime, string? holder);

    [LoggerMessage(EventId = 8205, Level = LogLevel.Warning, Message = "Cron job {JobId} fire {FireTime} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string jobId, DateTimeOffset fireTime, string error);
}
