using System.Collections.Concurrent;
using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Cron;

/// <summary>Turns a fire into exactly one Hangfire job on the <c>cron</c> queue. The fire key
/// <c>cron:fire:{jobId}:{fireTimeUnixSeconds}</c> is first claimed as pending (SET NX, living
/// <see cref="CronNodeOptions.NodeTtl"/>), then the job is created, then the key is marked done with the job id. Claim and
/// job succeed or fail together: when the job cannot be created the claim is given back and the fire retried; a claim
/// whose node died before creating the job runs out and another node takes the fire over; nodes that find a pending
/// claim keep watching it until it is done. Retries stop after <see cref="CronOptions.FireRetrySeconds"/> with an error
/// in the log (never silently).</summary>
internal sealed partial class CronDispatcher(
    ICronStore store,
    IBackgroundJobClient jobs,
    IOptions<CronOptions> options,
    IOptions<CronNodeOptions> nodeOptions,
    TimeProvider time,
    ILogger<CronDispatcher> logger) : IAsyncDisposable
{
    /// <summary>The Hangfire queue of cron runs.</summary>
    public const string Queue = "cron";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _inFlight = [];
    private readonly ConcurrentDictionary<string, long> _seenByJob = new(StringComparer.Ordinal);
    private long _firesSeen;
    private long _firesWon;

    /// <summary>Fires this node's scheduler handed in (claimed or not).</summary>
    public long FiresSeen => Interlocked.Read(ref _firesSeen);

    /// <summary>Fires of <paramref name="jobId"/> this node's scheduler handed in (claimed or not).</summary>
    public long FiresSeenOf(string jobId) => _seenByJob.GetValueOrDefault(jobId);

    /// <summary>Background fires (<see cref="Fire"/>) not finished yet.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Fires this node claimed and enqueued.</summary>
    public long FiresWon => Interlocked.Read(ref _firesWon);

    /// <summary>Starts <see cref="FireAsync"/> without waiting for it (the Quartz job returns at once, so a fire that
    /// has to wait for the store does not hold a scheduler thread). Stopped by <see cref="DisposeAsync"/>.</summary>
    public void Fire(string jobId, DateTimeOffset fireTimeUtc)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var task = FireSafeAsync(jobId, fireTimeUtc);
            _inFlight.Add(task);
            _ = task.ContinueWith(t => { lock (_gate) { _inFlight.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Claims the fire of <paramref name="jobId"/> at <paramref name="fireTimeUtc"/> and enqueues its run,
    /// retrying with backoff while the store or Hangfire's storage fails.</summary>
    /// <returns>True when this call enqueued the run; false when another node (or an earlier call) had it, the job is
    /// gone or disabled, or the retries ran out (logged as an error).</returns>
    public async Task<bool> FireAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _firesSeen);
        _seenByJob.AddOrUpdate(jobId, 1, (_, seen) => seen + 1);
        var settings = options.Value;
        var node = nodeOptions.Value;
        var fireKey = fireTimeUtc.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var claimant = node.NodeId + "/" + Guid.NewGuid().ToString("N");
        var pendingTtl = node.NodeTtl;
        var doneTtl = TimeSpan.FromSeconds(settings.FireKeyTtlSeconds);
        var giveUpAt = time.GetUtcNow() + TimeSpan.FromSeconds(settings.FireRetrySeconds);
        var delay = FirstRetry;
        string? hangfireId = null;
        CronJobDefinition? job = null;
        var completed = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (hangfireId is null)
                {
                    job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
                    if (job is null || !job.Enabled || job.DoneUtc is not null)
                    {
                        return false;
                    }

                    switch (await store.TryClaimFireAsync(jobId, fireKey, claimant, pendingTtl, cancellationToken).ConfigureAwait(false))
                    {
                        case CronFireClaim.Done:
                            return false;
                        case CronFireClaim.Pending:
                            // Another node is creating the job, or died doing it (then its claim runs out): look again.
                            break;
                        case CronFireClaim.Claimed:
                            try
                            {
                                hangfireId = Enqueue(job, fireTimeUtc, manual: false);
                            }
                            catch (Exception ex) when (ex is not OperationCanceledException)
                            {
                                LogEnqueueFailed(logger, jobId, fireTimeUtc, attempt, ex);
                                await store.ReleaseFireAsync(jobId, fireKey, claimant, cancellationToken).ConfigureAwait(false);
                            }

                            break;
                    }
                }

                if (hangfireId is not null)
                {
                    if (!completed)
                    {
                        if (!await store.CompleteFireAsync(jobId, fireKey, claimant, hangfireId, doneTtl, cancellationToken).ConfigureAwait(false))
                        {
                            LogClaimOverrun(logger, jobId, fireTimeUtc, hangfireId);
                        }

                        completed = true;
                        Interlocked.Increment(ref _firesWon);
                        LogEnqueued(logger, jobId, fireTimeUtc, hangfireId);
                    }

                    await store.SetLastFireAsync(jobId, fireTimeUtc, cancellationToken).ConfigureAwait(false);
                    if (job?.At is not null)
                    {
                        await MarkDoneAsync(jobId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    }

                    return true;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store did not answer (a Redis blip). Before the job exists: claim again (a claim of ours that
                // was not given back is still ours). After: retry marking the fire done only, never a second job.
                LogStoreFailed(logger, jobId, fireTimeUtc, attempt, ex);
            }

            if (time.GetUtcNow() >= giveUpAt)
            {
                LogGaveUp(logger, jobId, fireTimeUtc, settings.FireRetrySeconds, hangfireId);
                return hangfireId is not null;
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 > MaxRetry ? MaxRetry : delay * 2;
        }
    }

    /// <summary>Marks a one-shot job done (it fired, or its time was missed and will not run): it leaves the active list
    /// and, through the change notification, every node's scheduler. Nothing for other jobs or a job already done.</summary>
    public async Task MarkDoneAsync(string jobId, DateTimeOffset doneUtc, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is { At: not null, DoneUtc: null })
        {
            job.DoneUtc = doneUtc;
            await store.SaveAsync(job, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Enqueues a run now ("run now" in the API), regardless of schedule and enabled flag.</summary>
    /// <returns>The Hangfire job id.</returns>
    public string RunNow(CronJobDefinition job) => Enqueue(job, CronTiming.Truncate(time.GetUtcNow()), manual: true);

    /// <summary>Stops background fires (they give up at their next wait) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            running = [.. _inFlight];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task FireSafeAsync(string jobId, DateTimeOffset fireTimeUtc)
    {
        await Task.Yield();
        try
        {
            await FireAsync(jobId, fireTimeUtc, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            LogStoppedBeforeEnqueue(logger, jobId, fireTimeUtc);
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, jobId, fireTimeUtc, ex);
        }
    }

    private string Enqueue(CronJobDefinition job, DateTimeOffset fireTimeUtc, bool manual)
    {
        var id = job.Id;
        var name = job.DisplayName;
        var fire = fireTimeUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var call = Job.FromExpression<CronRunJob>(j => j.RunAsync(id, name, fire, manual, CancellationToken.None));
        return jobs.Create(call, new EnqueuedState(Queue));
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Debug, Message = "Cron job {JobId} fire {FireTime} enqueued as {HangfireJobId}")]
    private static partial void LogEnqueued(ILogger logger, string jobId, DateTimeOffset fireTime, string hangfireJobId);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Cron job {JobId} fire {FireTime}: the Hangfire job could not be created (attempt {Attempt}); the claim is given back and the fire retried")]
    private static partial void LogEnqueueFailed(ILogger logger, string jobId, DateTimeOffset fireTime, int attempt, Exception exception);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Cron job {JobId} fire {FireTime}: the store did not answer (attempt {Attempt}); retrying")]
    private static partial void LogStoreFailed(ILogger logger, string jobId, DateTimeOffset fireTime, int attempt, Exception exception);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Warning, Message = "Cron job {JobId} fire {FireTime}: the claim ran out before job {HangfireJobId} was recorded; another node may enqueue the fire too")]
    private static partial void LogClaimOverrun(ILogger logger, string jobId, DateTimeOffset fireTime, string hangfireJobId);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Error, Message = "Cron job {JobId} fire {FireTime}: gave up after {RetrySeconds} s of store failures (Hangfire job: {HangfireJobId})")]
    private static partial void LogGaveUp(ILogger logger, string jobId, DateTimeOffset fireTime, int retrySeconds, string? hangfireJobId);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Warning, Message = "Cron job {JobId} fire {FireTime}: the node stopped before the fire was enqueued here (another node may take it over)")]
    private static partial void LogStoppedBeforeEnqueue(ILogger logger, string jobId, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 8107, Level = LogLevel.Error, Message = "Cron job {JobId} fire {FireTime} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string jobId, DateTimeOffset fireTime, Exception exception);
}
