using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using OpenClaw.Channels.Hub.Jobs;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Sends a session's run to the Hangfire queue of the node that owns the session on the ring
/// (<c>node-{nodeId}</c>). Stickiness is an optimisation; the session lock is the guarantee.</summary>
/// <remarks>Hangfire's client API is synchronous. Webhook requests only queue the session here (the message is already
/// durable in its inbox and the session marked pending); a few dispatcher threads create the jobs, so a burst of webhooks
/// never blocks thread-pool threads on Redis round trips. Should the process die before a job is created, the pending
/// mark makes <see cref="SessionRescueService"/> schedule it.</remarks>
internal sealed partial class SessionRouter(RingService ring, IBackgroundJobClient jobs, ILogger<SessionRouter> logger) : BackgroundService
{
    private const int Dispatchers = 4;
    private readonly BlockingCollection<string> _queue = [];

    /// <summary>Queue name of a node.</summary>
    public static string QueueOf(string nodeId) => "node-" + nodeId;

    /// <summary>Schedules an agent run for <paramref name="sessionKey"/> on its owner's queue (asynchronously).</summary>
    public void ScheduleRun(string sessionKey) => _queue.Add(sessionKey);

    /// <summary>Creates the Hangfire job now, on the calling thread.</summary>
    /// <returns>The owner node id.</returns>
    public string CreateRun(string sessionKey)
    {
        var owner = ring.Ring.Owner(sessionKey);
        var job = Job.FromExpression<AgentRunJob>(j => j.RunAsync(sessionKey, CancellationToken.None));
        jobs.Create(job, new EnqueuedState(QueueOf(owner)));
        return owner;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Dedicated threads, not thread-pool threads: the Hangfire client blocks on a Redis round trip for every job it
        // creates, and that wait should not hold a pool thread (bench/README.md: no throughput change was measured).
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Dispatchers;
        for (var i = 0; i < Dispatchers; i++)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    Dispatch(stoppingToken);
                }
                finally
                {
                    if (Interlocked.Decrement(ref running) == 0)
                    {
                        done.TrySetResult();
                    }
                }
            })
            {
                IsBackground = true,
                Name = "OpenClaw run dispatcher " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            thread.Start();
        }

        return done.Task;
    }

    private void Dispatch(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var sessionKey in _queue.GetConsumingEnumerable(stoppingToken))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        CreateRun(sessionKey);
                        break;
                    }
                    catch (Exception ex) when (attempt < 3 && !stoppingToken.IsCancellationRequested)
                    {
                        LogRetry(logger, sessionKey, ex);
                        stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200 * attempt));
                    }
                    catch (Exception ex)
                    {
                        // The session stays pending; the rescue sweep schedules it later.
                        LogFailed(logger, sessionKey, ex);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating the run job of {SessionKey} failed; retrying")]
    private static partial void LogRetry(ILogger logger, string sessionKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Creating the run job of {SessionKey} failed; the stale-session sweep will reschedule it")]
    private static partial void LogFailed(ILogger logger, string sessionKey, Exception exception);
}
