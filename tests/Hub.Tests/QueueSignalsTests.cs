using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Hub.Jobs;
using OpenClaw.Channels.Tests;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Tests;

/// <summary>The queue hints that keep <see cref="LeanRedisJobStorage"/>'s fetchers off empty queues
/// (<see cref="QueueSignals"/>), and the fetch that follows them, against real Redis and the embedded Garnet.</summary>
public sealed class QueueSignalsTests(TestRedis redis, TestGarnet garnet) : IClassFixture<TestRedis>, IClassFixture<TestGarnet>
{
    public static TheoryData<string> Engines => new() { "redis", "garnet" };

    private readonly string _prefix = TestRedis.NewPrefix() + "hangfire:";

    private IConnectionMultiplexer Engine(string kind) => kind == "redis" ? redis.Multiplexer : garnet.Multiplexer;

    [Fact]
    public void AQueueFoundEmpty_MayHaveWorkAgain_OnlyAfterAnAnnouncementForIt()
    {
        var signals = new QueueSignals("p:");
        var version = signals.Version("a");
        Assert.True(signals.MayHaveWork("a", version)); // never popped: may hold anything
        signals.SeenEmpty("a", version);
        Assert.False(signals.MayHaveWork("a", signals.Version("a")));

        var wake = signals.WakeToken;
        signals.OnMessage("b 123"); // another queue's job
        Assert.True(wake.IsCancellationRequested);
        Assert.False(signals.MayHaveWork("a", signals.Version("a")));

        signals.OnMessage("a 456");
        Assert.True(signals.MayHaveWork("a", signals.Version("a")));
        signals.SeenEmpty("a", signals.Version("a"));

        signals.OnMessage("789"); // a bare job id (Hangfire.Redis's own announcement): every queue
        Assert.True(signals.MayHaveWork("a", signals.Version("a")));
    }

    [Fact]
    public void AnEmptyPopThatRacedAnAnnouncement_DoesNotHideIt()
    {
        var signals = new QueueSignals("p:");
        var before = signals.Version("a"); // a fetcher reads the version, then pops (empty) ...
        signals.Announce("a"); // ... while a job lands and is announced
        signals.SeenEmpty("a", before);
        Assert.True(signals.MayHaveWork("a", signals.Version("a")));
    }

    [Fact]
    public void EachAnnouncement_IsClaimedByOnePop_AndAQueueNeverFoundEmpty_ByEvery()
    {
        var signals = new QueueSignals("p:");
        Assert.True(signals.TryClaim("a", signals.Version("a"))); // a backlog from before the start: popped until empty
        Assert.True(signals.TryClaim("a", signals.Version("a")));
        signals.SeenEmpty("a", signals.Version("a"));
        Assert.False(signals.TryClaim("a", signals.Version("a")));

        signals.Announce("a");
        signals.Announce("a");
        var version = signals.Version("a"); // three fetchers woken by two announcements: two pop
        Assert.True(signals.TryClaim("a", version));
        Assert.True(signals.TryClaim("a", version));
        Assert.False(signals.TryClaim("a", version));
        Assert.False(signals.MayHaveWork("a", signals.Version("a"))); // no empty pop after the last announced job

        signals.Announce("a");
        Assert.True(signals.MayHaveWork("a", signals.Version("a")));
        signals.SeenEmpty("a", signals.Version("a")); // the job was taken by another node's fetcher
        Assert.False(signals.TryClaim("a", signals.Version("a")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void AFetchOfTheOnlyAnnouncedJob_LeavesNoEmptyPopForTheNextFetch(string kind)
    {
        var signals = new QueueSignals(_prefix, ["solo"]);
        var storage = new LeanRedisJobStorage(
            new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix }), Engine(kind), _prefix, signals, TimeSpan.FromMinutes(5));
        using var connection = storage.GetConnection();
        signals.SeenEmpty("solo", signals.Version("solo")); // as after the first empty pop
        var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("o")), new EnqueuedState("solo"));
        Assert.True(signals.MayHaveWork("solo", signals.Version("solo")));

        using var job = connection.FetchNextJob(["solo"], new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(id, job.JobId);
        job.RemoveFromQueue();
        Assert.False(signals.MayHaveWork("solo", signals.Version("solo")));
    }

    [Fact]
    public void AQueueIsListed_OncePerListingInterval()
    {
        var time = new FakeTimeProvider();
        var signals = new QueueSignals("p:", time: time);
        Assert.True(signals.NeedsListing("a"));
        signals.Listed("a");
        Assert.False(signals.NeedsListing("a"));
        Assert.True(signals.NeedsListing("b"));
        time.Advance(QueueSignals.ListingInterval);
        Assert.True(signals.NeedsListing("a"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AnEnqueueInProcess_WakesTheFetcherAtOnce_AndASilentPush_IsFoundByTheTimedOutPoll(string kind)
    {
        var fetchTimeout = TimeSpan.FromMinutes(5);
        var storage = new LeanRedisJobStorage(
            new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix }), Engine(kind), _prefix, new QueueSignals(_prefix, ["local"]), fetchTimeout);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var taken = new BlockingCollection<string>();
        var fetcher = new Thread(() =>
        {
            try
            {
                while (!cts.IsCancellationRequested)
                {
                    using var connection = storage.GetConnection();
                    using var job = connection.FetchNextJob(["local", "other"], cts.Token);
                    job.RemoveFromQueue();
                    taken.Add(job.JobId);
                }
            }
            catch (OperationCanceledException)
            {
                // the test ended
            }
        })
        { IsBackground = true };
        fetcher.Start();

        var client = new BackgroundJobClient(storage);
        for (var i = 0; i < 5; i++)
        {
            var id = client.Create(Job.FromExpression(() => Console.WriteLine("w")), new EnqueuedState(i % 2 == 0 ? "local" : "other"));
            Assert.True(taken.TryTake(out var got, TimeSpan.FromSeconds(10)), $"job {i} was not fetched within 10 s (the fetch timeout is {fetchTimeout})");
            Assert.Equal(id, got);
        }

        await cts.CancelAsync();
        fetcher.Join();

        // A job pushed without an announcement (as Hangfire.Redis's fetched-jobs watcher requeues): the next poll of
        // every queue, after a fetch wait times out, finds it.
        var quick = new LeanRedisJobStorage(
            new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix }), Engine(kind), _prefix, new QueueSignals(_prefix), TimeSpan.FromMilliseconds(100));
        using var quickConnection = quick.GetConnection();
        Assert.Throws<OperationCanceledException>(() => quickConnection.FetchNextJob(["other"], new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token));
        var silent = client.Create(Job.FromExpression(() => Console.WriteLine("s")), new ScheduledState(TimeSpan.FromDays(1)));
        await Engine(kind).GetDatabase().ListLeftPushAsync(_prefix + "queue:other", silent);
        using var found = quickConnection.FetchNextJob(["other"], new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(silent, found.JobId);
        found.RemoveFromQueue();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ASilentPush_IsFound_AlsoWhileAnnouncementsOfAnotherQueueKeepWakingTheFetch(string kind)
    {
        // A job whose announcement was lost (its enqueue's reply lost with Redis): the fetch pops every queue again once
        // the fetch timeout has passed, also when another queue's steady traffic wakes it every 50 ms.
        var signals = new QueueSignals(_prefix);
        var storage = new LeanRedisJobStorage(
            new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix }), Engine(kind), _prefix, signals, TimeSpan.FromMilliseconds(300));
        using var connection = storage.GetConnection();
        Assert.Throws<OperationCanceledException>(() => connection.FetchNextJob(["quiet"], new CancellationTokenSource(TimeSpan.FromMilliseconds(500)).Token));
        var silent = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("q")), new ScheduledState(TimeSpan.FromDays(1)));
        await Engine(kind).GetDatabase().ListLeftPushAsync(_prefix + "queue:quiet", silent);

        using var busy = new CancellationTokenSource();
        var announcer = Task.Run(async () =>
        {
            while (!busy.IsCancellationRequested)
            {
                signals.Announce("busy");
                await Task.Delay(50, CancellationToken.None);
            }
        });
        try
        {
            using var found = connection.FetchNextJob(["quiet"], new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(silent, found.JobId);
            found.RemoveFromQueue();
        }
        finally
        {
            await busy.CancelAsync();
            await announcer;
        }
    }
}
