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
/// mark makes <see cref="SessionRescueService"/> schedule it (once the node has left the ring).</remarks>
internal sealed partial class SessionRouter(RingService ring, IBackgroundJobClient jobs, Stores.ISessionStore store, ILogger<SessionRouter> logger) : BackgroundService
{
    private const int Dispatchers = 4;
    private readonly ConcurrentQueue<(string SessionKey, string Label, string? RunId)> _queue = new();

    // One permit per queued session: an idle dispatcher blocks without spinning (BlockingCollection's SemaphoreSlim spun
    // with sched_yield before every wait: 6 % of the hub's samples at 200 msg/s), and a release wakes one dispatcher.
    private readonly QuietSemaphore _queued = new(0);

    // The job's method, found once: Job.FromExpression built and evaluated an expression tree for every run it created.
    private static readonly System.Reflection.MethodInfo RunMethod = typeof(AgentRunJob).GetMethod(nameof(AgentRunJob.RunAsync))!;

    /// <summary>Queue name of a node.</summary>
    public static string QueueOf(string nodeId) => "node-" + nodeId;

    /// <summary>The node id of a queue named by <see cref="QueueOf"/>, or null.</summary>
    public static string? NodeOfQueue(string? queue) => queue is not null && queue.StartsWith("node-", StringComparison.Ordinal) ? queue[5..] : null;

    /// <summary>The run's display name: channel and chat title, else the sender's name (what an operator recognises).</summary>
    public static string LabelOf(ChannelMessage message)
        => $"{message.Channel}: {message.Chat.Title ?? message.Sender.DisplayName} ({message.Chat.Kind.ToString().ToLowerInvariant()})";

    /// <summary>Schedules an agent run for <paramref name="sessionKey"/> on its owner's queue (asynchronously).</summary>
    /// <param name="sessionKey">The session.</param>
    /// <param name="label">The job's display name (<see cref="LabelOf"/>).</param>
    /// <param name="runId">The job id the session's run marker already records (<see cref="Stores.ISessionStore.RunIdSeparator"/>):
    /// the first attempt creates the job with it and records nothing; null: a new id, recorded after the job is created.</param>
    public void ScheduleRun(string sessionKey, string label, string? runId = null)
    {
        _queue.Enqueue((sessionKey, label, runId));
        _queued.Release();
    }

    /// <summary>Creates the Hangfire job now, on the calling thread, and records its id for the rescue sweep.</summary>
    /// <param name="sessionKey">The session.</param>
    /// <param name="label">The job's display name.</param>
    /// <param name="excludeNode">A node not to send it to (this node, at shutdown), unless it is the only one.</param>
    /// <param name="runId">The job id the session's run marker records: the job is created with it (a job parameter
    /// <see cref="LeanRedisJobStorage"/> takes as the id) and nothing more is recorded; null, or a storage that does not
    /// take it: the job's id is recorded after it is created (<c>HSET runs</c>).</param>
    /// <returns>The owner node id.</returns>
    public string CreateRun(string sessionKey, string label, string? excludeNode = null, string? runId = null)
    {
        var current = ring.Ring;
        var owner = current.Owner(sessionKey);
        if (excludeNode is not null && owner == excludeNode && current.Nodes.Count > 1)
        {
            owner = new ConsistentHashRing(current.Nodes.Where(n => n != excludeNode).ToList(), ring.VirtualNodes).Owner(sessionKey);
        }

        var job = new Job(typeof(AgentRunJob), RunMethod, sessionKey, label, null, CancellationToken.None);
        var state = new EnqueuedState(QueueOf(owner));
        if (runId is not null && jobs is IBackgroundJobClientV2 client)
        {
            if (client.Create(job, state, new Dictionary<string, object> { [LeanRedisJobStorage.JobIdParameter] = runId }) is var created && created == runId)
            {
                return owner; // the append's run marker records it
            }

            store.SetRunAsync(sessionKey, created, CancellationToken.None).GetAwaiter().GetResult();
            return owner;
        }

        var id = jobs.Create(job, state);
        store.SetRunAsync(sessionKey, id, CancellationToken.None).GetAwaiter().GetResult();
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
            while (true)
            {
                _queued.Wait(stoppingToken);
                if (!_queue.TryDequeue(out var item))
                {
                    continue; // not reached: every permit has its entry
                }

                var (sessionKey, label, runId) = item;
                for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
                {
                    try
                    {
                        // A retry creates a job of another id and records it: the first attempt's job may exist after all
                        // (its reply lost), and its id must not be written twice.
                        CreateRun(sessionKey, label, runId: attempt == 1 ? runId : null);
                        break;
                    }
                    catch (Exception ex)
                    {
                        // Redis down: keep trying (the session is marked as scheduled by this node, so the rescue sweep
                        // leaves it alone while this node lives).
                        LogRetry(logger, sessionKey, attempt, ex);
                        stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating the run job of {SessionKey} failed (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, string sessionKey, int attempt, Exception exception);
}
