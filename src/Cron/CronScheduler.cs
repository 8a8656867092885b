using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Quartz;
using StackExchange.Redis;

namespace OpenClaw.Channels.Cron;

/// <summary>This node's Quartz scheduler (in-memory store, its own instance name): holds every enabled job, rebuilt
/// from the store at start, on change notifications and every <see cref="CronOptions.ResyncSeconds"/>. At start it
/// also handles fire times missed while every node was down (<see cref="CronJobDefinition.Misfire"/>).</summary>
internal sealed partial class CronScheduler(
    ICronStore store,
    CronJobService service,
    CronDispatcher dispatcher,
    CronJobFactory jobFactory,
    IOptions<CronOptions> options,
    IOptions<CronNodeOptions> nodeOptions,
    TimeProvider time,
    ILogger<CronScheduler> logger) : IHostedService, IAsyncDisposable
{
    private const string Group = "openclaw-cron";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, string> _scheduled = new(StringComparer.Ordinal); // written under _gate
    private readonly CancellationTokenSource _stopping = new();
    private StandaloneSchedulerFactory? _factory;
    private IScheduler? _scheduler;
    private ITimer? _resync;

    /// <summary>True while this node's Quartz holds a trigger of <paramref name="jobId"/> (tests wait on it).</summary>
    public bool IsScheduled(string jobId) => _scheduled.ContainsKey(jobId);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var instanceName = $"openclaw-cron-{nodeOptions.Value.NodeId}-{Guid.NewGuid():N}";
        _factory = QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = instanceName);
            q.UseInMemoryStore();
            q.UseDefaultThreadPool(4);
            q.UseJobFactory(jobFactory);
            q.UseTimeProvider(time);
        }).Build();
        _scheduler = await _factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        store.Changed += OnChanged;
        try
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // The store is down at start: keep the hub up (readiness reports the store) and load the jobs once it answers.
            LogStoreUnavailable(logger, ex);
            _ = RetryInitializeAsync();
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await store.StartAsync(cancellationToken).ConfigureAwait(false);
        await service.ImportAsync(options.Value.Jobs, cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        await ReconcileAllAsync(now, cancellationToken).ConfigureAwait(false);
        await CatchUpAsync(now, cancellationToken).ConfigureAwait(false);
        await _scheduler!.Start(cancellationToken).ConfigureAwait(false);

        var every = TimeSpan.FromSeconds(options.Value.ResyncSeconds);
        _resync = time.CreateTimer(_ => _ = ResyncAsync(), null, every, every);
    }

    private async Task RetryInitializeAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), time, token).ConfigureAwait(false);
                await InitializeAsync(token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                LogStoreUnavailable(logger, ex);
            }
            catch (Exception ex)
            {
                LogStartFailed(logger, ex);
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        store.Changed -= OnChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await dispatcher.DisposeAsync().ConfigureAwait(false);
        if (_resync is not null)
        {
            await _resync.DisposeAsync().ConfigureAwait(false);
        }

        if (_scheduler is not null)
        {
            await _scheduler.Shutdown(false, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _gate.Dispose();
    }

    /// <summary>Run-once jobs whose fire times passed while no node ran get one run for the latest missed time. Its fire
    /// key is the regular one, so nodes starting together, or a node that did fire it, do not run it twice. Under either
    /// policy the fires up to the last one before the outage are marked stale first (<see cref="ICronStore.SetStaleUntilAsync"/>):
    /// a job of such a fire still waiting in the queue (its node stopped before running it) is recorded
    /// <c>skipped-stale</c> when a node takes it, instead of running late and holding the lease against the catch-up.</summary>
    private async Task CatchUpAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var job in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!job.Enabled || job.DoneUtc is not null)
            {
                continue;
            }

            var last = await store.GetLastFireAsync(job.Id, cancellationToken).ConfigureAwait(false);
            var baseline = new[] { last, job.UpdatedUtc }.Max() ?? now;
            var missed = CronTiming.LastFireBetween(job, baseline, now);
            if (missed is null)
            {
                continue;
            }

            await store.SetStaleUntilAsync(job.Id, baseline, cancellationToken).ConfigureAwait(false);

            if (job.Misfire == CronMisfirePolicy.RunOnce)
            {
                var ran = await dispatcher.FireAsync(job.Id, missed.Value, cancellationToken).ConfigureAwait(false);
                LogCaughtUp(logger, job.Id, missed.Value, ran);
            }
            else
            {
                LogSkipped(logger, job.Id, baseline, now);
                if (job.At is not null)
                {
                    await dispatcher.MarkDoneAsync(job.Id, now, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private void OnChanged(string jobId) => _ = ReconcileSafeAsync(jobId);

    private async Task ReconcileSafeAsync(string jobId)
    {
        try
        {
            await ReconcileAsync(jobId, await store.GetAsync(jobId, _stopping.Token).ConfigureAwait(false), time.GetUtcNow(), _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            LogReconcileFailed(logger, jobId, ex);
        }
    }

    private async Task ResyncAsync()
    {
        try
        {
            await ReconcileAllAsync(time.GetUtcNow(), _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            LogReconcileFailed(logger, "*", ex);
        }
    }

    private async Task ReconcileAllAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jobs = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(j => j.Id, StringComparer.Ordinal);
        List<string> known;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            known = [.. _scheduled.Keys];
        }
        finally
        {
            _gate.Release();
        }

        foreach (var id in known.Union(jobs.Keys))
        {
            await ReconcileAsync(id, jobs.GetValueOrDefault(id), now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Makes this node's Quartz hold exactly the stored enabled version of the job.</summary>
    private async Task ReconcileAsync(string jobId, CronJobDefinition? job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scheduler = _scheduler ?? throw new InvalidOperationException("The cron scheduler is not started.");
        var wanted = job is { Enabled: true, DoneUtc: null } ? CronJson.Serialize(job) : null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _scheduled.GetValueOrDefault(jobId);
            if (current == wanted)
            {
                return;
            }

            var key = new JobKey(jobId, Group);
            await scheduler.DeleteJob(key, cancellationToken).ConfigureAwait(false);
            _scheduled.TryRemove(jobId, out _);
            if (wanted is null || job is null)
            {
                LogUnscheduled(logger, jobId);
                return;
            }

            var trigger = CronTiming.BuildTrigger(job, key, now, time);
            DateTimeOffset? first = null;
            if (trigger is not null)
            {
                var detail = JobBuilder.Create<CronFireJob>().WithIdentity(key).WithDescription(job.DisplayName).Build();
                first = await scheduler.ScheduleJob(detail, trigger, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            _scheduled[jobId] = wanted;
            LogScheduled(logger, jobId, first);
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Cron job {JobId} scheduled; next fire {NextFire}")]
    private static partial void LogScheduled(ILogger logger, string jobId, DateTimeOffset? nextFire);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Cron job {JobId} unscheduled")]
    private static partial void LogUnscheduled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Cron job {JobId} missed fire {FireTime} while the hub was down; run-once catch-up enqueued here: {Enqueued}")]
    private static partial void LogCaughtUp(ILogger logger, string jobId, DateTimeOffset fireTime, bool enqueued);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "Cron job {JobId} missed fires between {From} and {Until}; misfire policy skip")]
    private static partial void LogSkipped(ILogger logger, string jobId, DateTimeOffset from, DateTimeOffset until);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Error, Message = "Cron job {JobId} could not be (re)scheduled")]
    private static partial void LogReconcileFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Warning, Message = "Cron: the store is unavailable; jobs load once it answers")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Error, Message = "Cron: loading the jobs failed")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
