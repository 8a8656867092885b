using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Rescues sessions whose run is dead: queued messages, no progress for <see cref="HubOptions.StaleSessionMs"/>,
/// and their latest run's Hangfire job is no longer alive (not enqueued on, nor processing on, a node in the ring, nor
/// scheduled for a retry; a job its accepting node never created, see <see cref="SchedulingGrace"/>; a fetch that lost its
/// reply, seen so by two sweeps in a row), once the session
/// lock has lapsed. The owner per the current ring schedules a new run. A run that merely waits in a long queue is
/// alive: a backlog never causes a rescue.</summary>
internal sealed partial class SessionRescueService(
    ISessionStore store,
    RingService ring,
    SessionRouter router,
    JobStorage storage,
    Telemetry.HubTelemetry telemetry,
    IOptions<HubOptions> options,
    TimeProvider time,
    ILogger<SessionRescueService> logger) : BackgroundService
{
    /// <summary>Jobs that looked like lost fetches to the previous sweep (only the sweep loop touches it).</summary>
    private HashSet<string> _suspects = new(StringComparer.Ordinal);

    /// <summary>What a sweep makes of a session's run.</summary>
    private enum Liveness
    {
        /// <summary>Waiting in a live queue, processing on a live server, scheduled or awaiting.</summary>
        Alive,

        /// <summary>Enqueued on a live node but looks like a fetch that lost its reply (see <see cref="IsFetchLost"/>).</summary>
        LooksLost,

        /// <summary>Gone: no job, finished, failed, deleted, or on a dead node or server.</summary>
        Dead,
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stale = TimeSpan.FromMilliseconds(options.Value.StaleSessionMs);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(500, options.Value.StaleSessionMs / 4)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepAsync(time.GetUtcNow() - stale, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>One sweep: rescues this node's stale sessions whose run is dead.</summary>
    /// <returns>How many sessions were rescued.</returns>
    internal async Task<int> SweepAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var sessions = await store.GetStalePendingAsync(olderThan, 500, cancellationToken).ConfigureAwait(false);
        var rescued = 0;
        var current = ring.Ring;
        IReadOnlyDictionary<string, DateTime>? servers = null; // Hangfire servers and their last heartbeat, read once per sweep
        var suspects = new HashSet<string>(StringComparer.Ordinal); // jobs that look like lost fetches in this sweep
        foreach (var session in sessions.Where(s => current.Owner(s) == ring.NodeId))
        {
            var jobId = await store.GetRunAsync(session, cancellationToken).ConfigureAwait(false);
            if (jobId == string.Empty)
            {
                continue; // completed since the stale list was read
            }

            string? state = null;
            var verdict = jobId is null ? Liveness.Dead : Judge(jobId, current.Nodes, () => servers ??= HangfireServers(), out state);
            if (verdict == Liveness.LooksLost && !_suspects.Contains(jobId!))
            {
                // One look is not enough: a fetch under way sits in :dequeued without Fetched for a moment. Not touched, so
                // the next sweep looks again and rescues it only if it still looks lost.
                suspects.Add(jobId!);
                LogLooksLost(logger, session, jobId!);
                continue;
            }

            if (verdict == Liveness.Alive)
            {
                // Waiting in a queue or retrying: not dead. Touch so the next sweeps skip it for a while.
                await store.TouchAsync(session, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (await store.IsLockedAsync(session, cancellationToken).ConfigureAwait(false))
            {
                // Its lock outlives its run (the run lost its lease while Redis was down and could not release it, or
                // its node died holding it): a new run would find the session busy, end, and be rescued again every
                // StaleSessionMs until the lease lapses. Not touched: the sweep after the lapse rescues it.
                continue;
            }

            if (!string.Equals(await store.GetRunAsync(session, cancellationToken).ConfigureAwait(false), jobId, StringComparison.Ordinal))
            {
                continue; // a run was scheduled or completed while the sweep looked: the next sweep judges the new record
            }

            await store.TouchAsync(session, cancellationToken).ConfigureAwait(false);
            router.CreateRun(session, session);
            telemetry.Rescues.Add(1);
            rescued++;
            LogRescued(logger, session, jobId ?? "none", state ?? "no state");
        }

        _suspects = suspects;
        telemetry.Sweeps.Add(1);
        return rescued;
    }

    private IReadOnlyDictionary<string, DateTime> HangfireServers()
        => storage.GetMonitoringApi().Servers()
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(s => s.Heartbeat ?? s.StartedAt), StringComparer.Ordinal); // no heartbeat before the first beat

    private Liveness Judge(string jobId, IReadOnlyCollection<string> liveNodes, Func<IReadOnlyDictionary<string, DateTime>> servers, out string? stateName)
    {
        stateName = null;
        using var connection = storage.GetConnection();
        StateData? state = null;
        if (jobId.StartsWith(ISessionStore.SchedulingMarker, StringComparison.Ordinal))
        {
            // A marker that names its run's job (the append chose the id): the job's state once it exists (its hash and
            // state are written by one script), the marker's rule until then.
            var separator = jobId.LastIndexOf(ISessionStore.RunIdSeparator);
            if (separator > 0 && jobId[(separator + 1)..] is { Length: > 0 } named && (state = connection.GetStateData(named)) is not null)
            {
                jobId = named;
            }
            else
            {
                stateName = "job not created";
                return IsSchedulingAlive(separator > 0 ? jobId[..separator] : jobId, liveNodes) ? Liveness.Alive : Liveness.Dead;
            }
        }

        state ??= connection.GetStateData(jobId);
        var name = state?.Name;
        stateName = name;
        string? Data(string key) => state?.Data is { } data && data.TryGetValue(key, out var value) ? value : null;
        if (name == EnqueuedState.StateName)
        {
            var queue = Data("Queue");
            if (SessionRouter.NodeOfQueue(queue) is { } node && !liveNodes.Contains(node))
            {
                return Liveness.Dead;
            }

            // The fetch's writes are read one by one: a worker that fetched it meanwhile has moved it on from Enqueued.
            return IsFetchLost(connection, jobId, queue) && connection.GetStateData(jobId)?.Name == EnqueuedState.StateName
                ? Liveness.LooksLost
                : Liveness.Alive;
        }

        if (name == ProcessingState.StateName)
        {
            // Alive only while the very Hangfire server processing it heartbeats: a node restarted under the same node id
            // is in the ring again, but the server of its previous process (SIGKILLed mid-run) is dead.
            var server = Data("ServerId") ?? string.Empty;
            var colon = server.IndexOf(':', StringComparison.Ordinal);
            return liveNodes.Contains(colon > 0 ? server[..colon] : server)
                && servers().TryGetValue(server, out var heartbeat)
                && DateTime.UtcNow - DateTime.SpecifyKind(heartbeat, DateTimeKind.Utc) < ServerDeadAfter(options.Value) // Hangfire's own clock
                ? Liveness.Alive
                : Liveness.Dead;
        }

        return name == ScheduledState.StateName || name == AwaitingState.StateName ? Liveness.Alive : Liveness.Dead;
    }

    /// <summary>True when an Enqueued job was taken off its queue by a fetch that then lost it: the fetch's
    /// <c>RPOPLPUSH</c> (and maybe its <c>HSET Fetched</c>) reached Redis while the reply did not (Redis killed and
    /// restarted from its append-only file), so the job sits in the queue's <c>:dequeued</c> list, still Enqueued, with no
    /// worker to move it on. A worker moves a job it fetched to Processing within milliseconds, so a job still Enqueued
    /// whose <c>Fetched</c> is older than <see cref="SchedulingGrace"/>, or that is in <c>:dequeued</c> without a
    /// <c>Fetched</c> (the list is read before the job), is lost. Hangfire.Redis's fetched-jobs watcher would requeue it
    /// only after its invisibility timeout (30 minutes) or after 1-2 minutes without <c>Fetched</c>. A job that merely waits
    /// in its queue has neither, so a backlog rescues nothing; a rescue of a fetch that was alive after all costs one extra
    /// run that finds the session locked or drained. (An Enqueued state clears the <c>Fetched</c> of the job's last run.)
    /// A fetch under way also has the job in <c>:dequeued</c> without <c>Fetched</c>, for the moment between its two
    /// commands (longer on a loaded machine): so a job is taken for lost only when it is still Enqueued after these reads
    /// and two sweeps in a row find it so, and the session's run record is unchanged when the rescue is scheduled.</summary>
    private bool IsFetchLost(IStorageConnection connection, string jobId, string? queue)
    {
        var dequeued = queue is not null && connection is JobStorageConnection listing
            && listing.GetAllItemsFromList("queue:" + queue + ":dequeued").Contains(jobId, StringComparer.Ordinal);
        var fetched = connection.GetAllEntriesFromHash("job:" + jobId) is { } job && job.TryGetValue("Fetched", out var value)
            ? JobHelper.DeserializeNullableDateTime(value)
            : null;
        return fetched is { } at
            ? DateTime.UtcNow - DateTime.SpecifyKind(at, DateTimeKind.Utc) > SchedulingGrace // Hangfire's own clock
            : dequeued;
    }

    /// <summary>A scheduling marker (<c>sched:{node}@{unix ms}</c>, without the <c>#{job id}</c> of a job not created yet): the accepting node's router is creating the job and
    /// retries until it can, so the run is alive while that node is in the ring, for <see cref="SchedulingGrace"/> after
    /// the append. Older, the job will never come: the append's reply was lost (Redis died after the script ran, before
    /// its reply left), so the webhook failed, the platform's redelivery was a duplicate and nobody scheduled the run; the
    /// session and every later message of it would wait as long as that node lives. A marker without a time (written
    /// by an older hub) is alive while its node is.</summary>
    private bool IsSchedulingAlive(string marker, IReadOnlyCollection<string> liveNodes)
    {
        var body = marker.AsSpan(ISessionStore.SchedulingMarker.Length);
        var at = body.LastIndexOf('@');
        if (at < 0)
        {
            return liveNodes.Contains(body.ToString());
        }

        return liveNodes.Contains(body[..at].ToString())
            && (!long.TryParse(body[(at + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var appendedMs)
                || time.GetUtcNow().ToUnixTimeMilliseconds() - appendedMs < SchedulingGrace.TotalMilliseconds);
    }

    /// <summary>How long after an append its node's router may take to create the session's job before the sweep takes
    /// the job for lost: <see cref="HubOptions.SchedulingGraceMs"/> (10 s), at least <see cref="HubOptions.StaleSessionMs"/>
    /// (a router creates a job within milliseconds, and retries through a Redis outage that the sweep cannot see past
    /// either; a rescue of a job that does come after all costs one extra run that finds the session locked or drained).</summary>
    internal TimeSpan SchedulingGrace => TimeSpan.FromMilliseconds(Math.Max(options.Value.SchedulingGraceMs, options.Value.StaleSessionMs));

    /// <summary>How often the chat lane's Hangfire server heartbeats (<c>BackgroundJobServerOptions.HeartbeatInterval</c>):
    /// <see cref="HubOptions.JobServerHeartbeatMs"/>.</summary>
    internal static TimeSpan ServerHeartbeat(HubOptions options) => TimeSpan.FromMilliseconds(options.JobServerHeartbeatMs);

    /// <summary>A Hangfire server whose last heartbeat is older than this (three missed beats) is dead.</summary>
    internal static TimeSpan ServerDeadAfter(HubOptions options) => ServerHeartbeat(options) * 3;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rescued stale session {SessionKey}: its run {JobId} ({JobState}) is dead; scheduled a new run")]
    private static partial void LogRescued(ILogger logger, string sessionKey, string jobId, string jobState);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stale session {SessionKey}: its run {JobId} looks like a lost fetch; the next sweep looks again")]
    private static partial void LogLooksLost(ILogger logger, string sessionKey, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale-session sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
