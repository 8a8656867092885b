using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Rescues sessions that have queued messages but no progress for <see cref="HubOptions.StaleSessionMs"/>
/// (their node died, or its job was lost): the owner per the current ring schedules a new run. Nothing is stranded.</summary>
internal sealed partial class SessionRescueService(
    ISessionStore store,
    RingService ring,
    SessionRouter router,
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
                var sessions = await store.GetStalePendingAsync(time.GetUtcNow() - stale, 500, stoppingToken).ConfigureAwait(false);
                foreach (var session in sessions.Where(s => ring.Ring.Owner(s) == ring.NodeId))
                {
                    await store.TouchAsync(session, stoppingToken).ConfigureAwait(false);
                    router.CreateRun(session);
                    LogRescued(logger, session);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rescued stale session {SessionKey}: scheduled a new run")]
    private static partial void LogRescued(ILogger logger, string sessionKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale-session sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
