using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A Hangfire <see cref="JobStorage"/> decorator that lets at most <c>fetchers</c> workers per queue set wait in
/// the inner storage's <see cref="IStorageConnection.FetchNextJob"/> at a time; the other idle workers wait on a
/// semaphore and enter one by one as jobs are taken. Everything else is forwarded unchanged.</summary>
/// <remarks>Hangfire.Redis.StackExchange 1.12 wakes every idle worker of every server on the storage when a job is
/// enqueued (one <c>ManualResetEvent</c> set by its pub/sub channel); each woken worker pops every queue it serves with
/// a synchronous <c>RPOPLPUSH</c> and only one of them gets the job. With 20 chat workers and the cron lane's workers
/// that measured 111 <c>RPOPLPUSH</c> per message and about 1,000 context switches per message at 100 messages/s
/// (bench/README.md). With the gate only the fetchers poll, so an enqueue costs one or two pops.
/// <para>Idle, one fetcher per queue set polls: the others (the "secondary" fetchers) stop polling after
/// <see cref="SecondaryIdle"/> without a job and wait in process until the polling one has taken a job, then take its
/// place. Under load every fetcher polls, as before; at idle the node's <c>RPOPLPUSH</c> rate halves. Hangfire.Redis
/// checks the token only before its pops, so stopping a secondary never strands a job it had already moved.</para>
/// <para>Wake-ups: Hangfire.Redis's own wake-up (<c>ManualResetEvent.Reset</c> after the pops, then a wait) loses a
/// notification that arrives between the pops and the reset, so a queued job could wait a whole fetch timeout; that is
/// why idle workers used to poll every 100 ms. <see cref="Wake"/> (called for every message on Hangfire's job-fetch
/// channel, see <see cref="JobFetchChannel"/>) cancels the token the fetchers are waiting with instead: a cancelled token
/// stays cancelled, so no notification is lost, and the fetcher pops again at once. The fetch timeout is then only the
/// safety net for a notification lost with a connection, and can be long.</para></remarks>
internal sealed class FetchGateJobStorage : ForwardingJobStorage
{
    /// <summary>How long a secondary fetcher polls without getting a job before it stops polling: 1 s.</summary>
    public static readonly TimeSpan DefaultSecondaryIdle = TimeSpan.FromSeconds(1);

    private readonly int _fetchers;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, QueueSetGate> _gates = new(StringComparer.Ordinal);
    private CancellationTokenSource _wake = new();

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The storage that holds the jobs.</param>
    /// <param name="fetchers">Workers per queue set allowed in the inner fetch at once; at least 1.</param>
    /// <param name="secondaryIdle">How long a fetcher other than the polling one polls without a job before it waits
    /// in process instead; default <see cref="DefaultSecondaryIdle"/>.</param>
    /// <param name="time">Clock of <paramref name="secondaryIdle"/>; default the system clock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fetchers"/> is below 1, or
    /// <paramref name="secondaryIdle"/> is not positive.</exception>
    public FetchGateJobStorage(JobStorage inner, int fetchers, TimeSpan? secondaryIdle = null, TimeProvider? time = null)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fetchers, 1);
        SecondaryIdle = secondaryIdle ?? DefaultSecondaryIdle;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SecondaryIdle, TimeSpan.Zero, nameof(secondaryIdle));
        _fetchers = fetchers;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long a secondary fetcher polls without a job before it stops polling.</summary>
    public TimeSpan SecondaryIdle { get; }

    /// <summary>The pub/sub channel on which Hangfire.Redis announces every enqueued job: <c>{prefix}JobFetchChannel</c>
    /// (Hangfire.Redis.StackExchange 1.12, <c>RedisSubscription</c>).</summary>
    /// <param name="hangfirePrefix">The <c>RedisStorageOptions.Prefix</c> of the storage.</param>
    /// <returns>The channel name.</returns>
    public static string JobFetchChannel(string hangfirePrefix) => hangfirePrefix + "JobFetchChannel";

    /// <summary>Subscribes <see cref="Wake"/> to Hangfire.Redis's job announcements (<see cref="JobFetchChannel"/>);
    /// StackExchange.Redis renews the subscription after a reconnect.</summary>
    /// <param name="subscriber">The subscriber of the storage's multiplexer.</param>
    /// <param name="hangfirePrefix">The <c>RedisStorageOptions.Prefix</c> of the inner storage.</param>
    public void WakeOn(ISubscriber subscriber, string hangfirePrefix)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        subscriber.Subscribe(RedisChannel.Literal(JobFetchChannel(hangfirePrefix)), (_, _) => Wake(), CommandFlags.FireAndForget);
    }

    /// <summary>A job was enqueued: every fetcher waiting in the inner fetch pops its queues again at once, and one that
    /// is about to wait does not wait. Thread-safe; cheap enough to call for every enqueue.</summary>
    public void Wake()
    {
        // Not disposed: a fetcher may still be linking to its token (a timer-less source holds nothing to release).
        Interlocked.Exchange(ref _wake, new CancellationTokenSource()).Cancel();
    }

    /// <inheritdoc />
    public override IStorageConnection GetConnection() => new GatedConnection(this, Inner.GetConnection());

    private QueueSetGate GateOf(string[] queues) => _gates.GetOrAdd(string.Join('\n', queues), _ => new QueueSetGate(_fetchers));

    /// <summary>Fetches through the gate: a permit first; then the primary slot (poll until a job comes) or, when another
    /// fetcher holds it, a secondary poll bounded by <see cref="SecondaryIdle"/> followed by a wait for the primary slot.</summary>
    private IFetchedJob Fetch(IStorageConnection inner, string[] queues, CancellationToken cancellationToken)
    {
        var gate = GateOf(queues);
        gate.Permits.Wait(cancellationToken);
        try
        {
            if (!gate.Primary.TryWait())
            {
                using (var idle = new CancellationTokenSource(SecondaryIdle, _time))
                {
                    try
                    {
                        return FetchWoken(inner, queues, cancellationToken, idle.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // no job within SecondaryIdle: stop polling until the primary fetcher has taken one
                    }
                }

                gate.Primary.Wait(cancellationToken);
            }

            try
            {
                return FetchWoken(inner, queues, cancellationToken, CancellationToken.None);
            }
            finally
            {
                gate.Primary.Release();
            }
        }
        finally
        {
            gate.Permits.Release();
        }
    }

    /// <summary>The inner fetch, restarted whenever <see cref="Wake"/> cancels the wake token it waits with. Hangfire.Redis
    /// checks the token only before its pops, so a restart never strands a job it had already moved.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> or <paramref name="idle"/> was cancelled.</exception>
    private IFetchedJob FetchWoken(IStorageConnection inner, string[] queues, CancellationToken cancellationToken, CancellationToken idle)
    {
        while (true)
        {
            var wakeToken = Volatile.Read(ref _wake).Token;

            // The primary fetcher has no idle token: a two-token link is the cheaper kind.
            using var linked = idle.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle, wakeToken)
                : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wakeToken);
            try
            {
                return inner.FetchNextJob(queues, linked.Token);
            }
            catch (OperationCanceledException) when (wakeToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested && !idle.IsCancellationRequested)
            {
                // a job was announced: pop again
            }
        }
    }

    /// <summary>Per queue set: the fetch permits and the primary (always polling) slot. Hundreds of idle workers wait
    /// on the permits, so they wait without spinning (<see cref="QuietSemaphore"/>).</summary>
    private sealed class QueueSetGate(int fetchers)
    {
        public QuietSemaphore Permits { get; } = new(fetchers);

        public QuietSemaphore Primary { get; } = new(1);
    }

    /// <summary>Forwards every call to the inner connection; <see cref="FetchNextJob"/> passes the gate first.</summary>
    private sealed class GatedConnection(FetchGateJobStorage storage, IStorageConnection inner) : ForwardingStorageConnection(inner)
    {
        public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken)
            => storage.Fetch(Inner, queues, cancellationToken);
    }
}
