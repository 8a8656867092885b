using System.Collections.Concurrent;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>What this process knows about its Hangfire queues, so that <see cref="LeanRedisJobStorage"/>'s fetchers pop
/// only a queue that may hold a job, and an enqueue costs as few commands as it can:
/// <list type="bullet">
/// <item>Per queue, a version bumped by every announcement of a job on it (an enqueue in this process, a message on
/// Hangfire.Redis's job-fetch channel, a requeue here) and how many announcements are claimed: a fetcher pops a queue
/// only after it claimed one announcement no other fetcher claimed (<see cref="TryClaim"/>), so the fetchers one
/// announcement wakes pop it once between them, and a pop that finds the queue empty claims every announcement up to
/// the version it read before the pop. A job announced after that pop always leaves one unclaimed. A queue never found
/// empty (a backlog from before this process started) is popped by every fetcher until it is.</item>
/// <item>One wake token, cancelled (and replaced) by every announcement: a fetcher reads it before its pops and waits
/// with it, so no announcement between the pops and the wait is lost.</item>
/// <item>Queues only this process fetches (<c>node-{NodeId}</c>): an enqueue on one wakes the fetchers in process and
/// publishes nothing. Every other enqueue is published as <c>{queue} {job id}</c> (Hangfire.Redis's own subscription
/// reads no payload).</item>
/// <item>When this process last added a queue to Hangfire's <c>queues</c> set: at most once per
/// <see cref="ListingInterval"/> per queue instead of a <c>SADD</c> in every enqueue.</item>
/// </list>
/// A job pushed without an announcement (Hangfire.Redis's fetched-jobs watcher requeues a timed-out job silently, a
/// publication lost with the connection) is found by the poll of every queue that follows a fetch wait that timed out;
/// taken by the pop of a claimed announcement, it leaves the announced job waiting for a later announcement or that poll
/// (at most the fetch timeout).</summary>
/// <param name="hangfirePrefix">The storage's <c>RedisStorageOptions.Prefix</c>.</param>
/// <param name="localQueues">Queues no other process fetches.</param>
/// <param name="time">Clock of <see cref="ListingInterval"/>; default the system clock.</param>
internal sealed class QueueSignals(string hangfirePrefix, IEnumerable<string>? localQueues = null, TimeProvider? time = null)
{
    /// <summary>How often a queue this process enqueues to is added to Hangfire's <c>queues</c> set again: 1 minute
    /// (the set is what the dashboard's Queues page and the fetched-jobs watcher read; nothing removes from it).</summary>
    public static readonly TimeSpan ListingInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Hint> _hints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _listedAt = new(StringComparer.Ordinal);
    private readonly HashSet<string> _localQueues = new(localQueues ?? [], StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private CancellationTokenSource _wake = new();

    /// <summary>The pub/sub channel of job announcements: Hangfire.Redis's <c>{prefix}JobFetchChannel</c>.</summary>
    public RedisChannel Channel { get; } = RedisChannel.Literal(FetchGateJobStorage.JobFetchChannel(hangfirePrefix));

    /// <summary>Cancelled by the next announcement. Read it before the pops, wait with it after them.</summary>
    public CancellationToken WakeToken => Volatile.Read(ref _wake).Token;

    /// <summary>Subscribes to the job announcements of other processes; StackExchange.Redis renews the subscription
    /// after a reconnect (a message lost meanwhile is found by the timed-out wait's full poll).</summary>
    /// <param name="subscriber">The storage multiplexer's subscriber.</param>
    public void Subscribe(ISubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        subscriber.Subscribe(Channel, (_, message) => OnMessage(message), CommandFlags.FireAndForget);
    }

    /// <summary>An announcement from the channel: <c>{queue} {job id}</c> announces that queue, anything else (a bare
    /// job id, as Hangfire.Redis publishes) every queue.</summary>
    public void OnMessage(RedisValue message)
    {
        var text = (string?)message;
        var space = text?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space > 0)
        {
            Announce(text![..space]);
            return;
        }

        foreach (var hint in _hints.Values)
        {
            hint.Bump();
        }

        Wake();
    }

    /// <summary>A job may be on <paramref name="queue"/>: its fetchers here pop it at once.</summary>
    public void Announce(string queue)
    {
        HintOf(queue).Bump();
        Wake();
    }

    /// <summary>After a committed enqueue: wakes the fetchers here and, unless only this process fetches
    /// <paramref name="queue"/>, publishes the job (fire and forget).</summary>
    public void Enqueued(IDatabase redis, string queue, string jobId)
    {
        Announce(queue);
        if (!_localQueues.Contains(queue))
        {
            redis.Publish(Channel, queue + " " + jobId, CommandFlags.FireAndForget);
        }
    }

    /// <summary>True when an enqueue on <paramref name="queue"/> should add it to the <c>queues</c> set (not done by
    /// this process within <see cref="ListingInterval"/>).</summary>
    public bool NeedsListing(string queue)
        => !_listedAt.TryGetValue(queue, out var at) || _time.GetElapsedTime(at) >= ListingInterval;

    /// <summary>A committed transaction added <paramref name="queue"/> to the <c>queues</c> set.</summary>
    public void Listed(string queue) => _listedAt[queue] = _time.GetTimestamp();

    /// <summary>The announcement version of <paramref name="queue"/>; read it before popping the queue.</summary>
    public long Version(string queue) => Volatile.Read(ref HintOf(queue).Version);

    /// <summary>False when every announcement of <paramref name="queue"/> up to <paramref name="version"/> is claimed
    /// (<see cref="TryClaim"/>, <see cref="SeenEmpty"/>).</summary>
    public bool MayHaveWork(string queue, long version) => Volatile.Read(ref HintOf(queue).Claimed) < version;

    /// <summary>A pop found <paramref name="queue"/> empty after <see cref="Version"/> returned <paramref name="version"/>:
    /// every announcement up to it is claimed (their jobs were taken before the pop).</summary>
    public void SeenEmpty(string queue, long version)
    {
        var hint = HintOf(queue);
        long seen;
        do
        {
            seen = Volatile.Read(ref hint.Claimed);
            if (seen >= version)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref hint.Claimed, version, seen) != seen);
    }

    /// <summary>Claims one unclaimed announcement of <paramref name="queue"/> up to <paramref name="version"/> for a pop:
    /// false when every one is claimed (another fetcher pops for it, or a pop found the queue empty since). Always true,
    /// claiming nothing, for a queue never found empty.</summary>
    public bool TryClaim(string queue, long version)
    {
        var hint = HintOf(queue);
        long claimed;
        do
        {
            claimed = Volatile.Read(ref hint.Claimed);
            if (claimed < 0)
            {
                return true;
            }

            if (claimed >= version)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref hint.Claimed, claimed + 1, claimed) != claimed);
        return true;
    }

    private Hint HintOf(string queue) => _hints.GetOrAdd(queue, static _ => new Hint());

    private void Wake()
    {
        // Not disposed: a fetcher may still be reading its token's wait handle (a timer-less source holds nothing else).
        Interlocked.Exchange(ref _wake, new CancellationTokenSource()).Cancel();
    }

    /// <summary>A queue's announcement version and the announcements claimed (-1: never found empty, may hold
    /// anything).</summary>
    private sealed class Hint
    {
        public long Version;

        public long Claimed = -1;

        public void Bump() => Interlocked.Increment(ref Version);
    }
}
