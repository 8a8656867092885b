using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Rescues sessions whose run is dead: queued messages, no progress for <see cref="HubOptions.StaleSessionMs"/>,
/// and their latest run's Hangfire job is no longer alive (not enqueued on, nor processing on, a node in the ring, nor
/// scheduled for a retry). The owner per the current ring schedules a new run. A run that merely waits in a long
/// queue is alive: a backlog never causes a rescue.</summary>
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
        foreach (var session in sessions.Where(s => current.Owner(s) == ring.NodeId))
        {
            var jobId = await store.GetRunAsync(session, cancellationToken).ConfigureAwait(false);
            if (jobId == string.Empty)
            {
                continue; // completed since the stale list was read
            }

            string? state = null;
            if (jobId is not null && IsAlive(jobId, current.Nodes, () => servers ??= HangfireServers(), out state))
            {
                // Waiting in a queue or retrying: not dead. Touch so the next sweeps skip it for a while.
                await store.TouchAsync(session, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await store.TouchAsync(session, cancellationToken).ConfigureAwait(false);
            router.CreateRun(session, session);
            telemetry.Rescues.Add(1);
            rescued++;
            LogRescued(logger, session, jobId ?? "none", state ?? "no state");
        }

        return rescued;
    }

    private IReadOnlyDictionary<string, DateTime> HangfireServers()
        => storage.GetMonitoringApi().Servers()
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(s => s.Heartbeat ?? s.StartedAt), StringComparer.Ordinal); // no heartbeat before the first beat

    private bool IsAlive(string jobId, IReadOnlyCollection<string> liveNodes, Func<IReadOnlyDictionary<string, DateTime>> servers, out string? stateName)
    {
        stateName = null;
        if (jobId.StartsWith(ISessionStore.SchedulingMarker, StringComparison.Ordinal))
        {
            // The accepting node's router is creating the job (it retries until it can): alive while that node is.
            return liveNodes.Contains(jobId[ISessionStore.SchedulingMarker.Length..]);
        }

        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        var name = state?.Name;
        stateName = name;
        string? Data(string key) => state?.Data is { } data && data.TryGetValue(key, out var value) ? value : null;
        if (name == EnqueuedState.StateName)
        {
            return SessionRouter.NodeOfQueue(Data("Queue")) is not { } node || liveNodes.Contains(node);
        }

        if (name == ProcessingState.StateName)
        {
            // Alive only while the very Hangfire server processing it heartbeats: a node restarted under the same node id
            // is in the ring again, but the server of its previous process (SIGKILLed mid-run) is dead.
            var server = Data("ServerId") ?? string.Empty;
            var colon = server.IndexOf(':', StringComparison.Ordinal);
            return liveNodes.Contains(colon > 0 ? server[..colon] : server)
                && servers().TryGetValue(server, out var heartbeat)
                && DateTime.UtcNow - DateTime.SpecifyKind(heartbeat, DateTimeKind.Utc) < ServerDeadAfter; // Hangfire's own clock
        }

        return name == ScheduledState.StateName || name == AwaitingState.StateName;
    }

    /// <summary>How often the chat lane's Hangfire server heartbeats (<c>BackgroundJobServerOptions.HeartbeatInterval</c>).</summary>
    internal static readonly TimeSpan ServerHeartbeat = TimeSpan.FromSeconds(5);

    /// <summary>A Hangfire server whose last heartbeat is older than this (three missed beats) is dead.</summary>
    internal static readonly TimeSpan ServerDeadAfter = ServerHeartbeat * 3;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rescued stale session {SessionKey}: its run {JobId} ({JobState}) is dead; scheduled a new run")]
    private static partial void LogRescued(ILogger logger, string sessionKey, string jobId, string jobState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale-session sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
