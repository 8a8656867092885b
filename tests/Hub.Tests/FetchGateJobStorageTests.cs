using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;
using OpenClaw.Channels.Hub.Jobs;
using OpenClaw.Channels.Tests;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Tests;

/// <summary>The fetch gate in front of Hangfire's storage. The inner storage here is an in-process stand-in (a seam with no
/// wire) that counts how many workers wait in its fetch at once; the Redis path itself runs in every Redis-mode
/// end-to-end test.</summary>
public sealed class FetchGateJobStorageTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task TenIdleWorkers_OnlyTwoWaitInTheInnerFetch_AndEveryJobIsTakenOnce()
    {
        var inner = new CountingStorage(Monitoring());
        var storage = new FetchGateJobStorage(inner, fetchers: 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var taken = new ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 10).Select(_ => OnThread(() =>
        {
            for (var i = 0; i < 5; i++)
            {
                using var connection = storage.GetConnection();
                using var job = connection.FetchNextJob(["node-a"], cts.Token);
                taken.Add(job.JobId);
            }

            return 0;
        })).ToArray();

        // Every worker is idle: two are inside the inner fetch, and the other eight stay at the gate.
        Assert.True(SpinWait.SpinUntil(() => inner.MaxConcurrentFetches >= 2, TimeSpan.FromSeconds(10)));
        await Task.Delay(300);
        Assert.Equal(2, inner.MaxConcurrentFetches);

        for (var i = 0; i < 50; i++)
        {
            inner.Jobs.Add("job-" + i);
        }

        await Task.WhenAll(workers).WaitAsync(cts.Token);
        Assert.Equal(50, taken.Distinct().Count());
        Assert.Equal(2, inner.MaxConcurrentFetches);
    }

    [Fact]
    public async Task Idle_OnlyOneFetcherKeepsPolling_AndBothPollAgainWhenJobsCome()
    {
        var inner = new CountingStorage(Monitoring());
        var storage = new FetchGateJobStorage(inner, fetchers: 2, secondaryIdle: TimeSpan.FromMilliseconds(200));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var taken = new ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 5).Select(_ => OnThread(() =>
        {
            for (var i = 0; i < 8; i++)
            {
                using var connection = storage.GetConnection();
                using var job = connection.FetchNextJob(["node-a"], cts.Token);
                taken.Add(job.JobId);
            }

            return 0;
        })).ToArray();

        // Both fetchers poll at first; after 200 ms without a job the secondary stops and only one stays in the fetch.
        Assert.True(SpinWait.SpinUntil(() => inner.MaxConcurrentFetches == 2, TimeSpan.FromSeconds(10)));
        Assert.True(SpinWait.SpinUntil(() => inner.InFetch == 1, TimeSpan.FromSeconds(10)), $"{inner.InFetch} fetchers still poll");
        Assert.False(SpinWait.SpinUntil(() => inner.InFetch != 1, TimeSpan.FromMilliseconds(600)), "an idle secondary came back to poll");

        for (var i = 0; i < 40; i++)
        {
            inner.Jobs.Add("job-" + i);
        }

        await Task.WhenAll(workers).WaitAsync(cts.Token);
        Assert.Equal(40, taken.Distinct().Count());
        Assert.Equal(2, inner.MaxConcurrentFetches);
    }

    [Fact]
    public async Task QueueSetsAreGatedSeparately()
    {
        var inner = new CountingStorage(Monitoring());
        var storage = new FetchGateJobStorage(inner, fetchers: 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var chat = OnThread(() => storage.GetConnection().FetchNextJob(["node-a"], cts.Token));
        var cron = OnThread(() => storage.GetConnection().FetchNextJob(["cron"], cts.Token));
        Assert.True(SpinWait.SpinUntil(() => inner.MaxConcurrentFetches == 2, TimeSpan.FromSeconds(10)));
        inner.Jobs.Add("one");
        inner.Jobs.Add("two");
        var jobs = await Task.WhenAll(chat, cron).WaitAsync(cts.Token);
        Assert.Equal(["one", "two"], jobs.Select(j => j.JobId).Order());
    }

    [Fact]
    public void CancelledWhileWaitingAtTheGate_ThrowsOperationCanceled()
    {
        var inner = new CountingStorage(Monitoring());
        var storage = new FetchGateJobStorage(inner, fetchers: 1);
        using var first = new CancellationTokenSource();
        var holder = OnThread(() => storage.GetConnection().FetchNextJob(["q"], first.Token));
        Assert.True(SpinWait.SpinUntil(() => inner.MaxConcurrentFetches == 1, TimeSpan.FromSeconds(10)));

        using var second = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => storage.GetConnection().FetchNextJob(["q"], second.Token));
        first.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => holder.GetAwaiter().GetResult());
    }

    [Fact]
    public void EverythingButTheFetch_IsForwarded()
    {
        var inner = new CountingStorage(Monitoring()) { JobExpirationTimeout = TimeSpan.FromHours(3) };
        var storage = new FetchGateJobStorage(inner, fetchers: 2);
        Assert.Equal(TimeSpan.FromHours(3), storage.JobExpirationTimeout);
        Assert.True(storage.HasFeature("counting"));
        using var connection = storage.GetConnection();
        Assert.Equal("value-of-k", connection.GetJobParameter("job", "k"));
        Assert.Same(inner.Monitoring, storage.GetMonitoringApi());
    }

    [Fact]
    public async Task EveryEnqueue_WakesTheFetcher_LongBeforeTheFetchTimeout()
    {
        // Real Hangfire.Redis on real Redis, polling only every 5 minutes and without its own wake-up (that runs in a
        // Hangfire server): every job must still be fetched at once, one by one and in a burst that lands while the
        // fetcher is between its pops and its wait.
        var prefix = TestRedis.NewPrefix();
        var inner = new Hangfire.Redis.StackExchange.RedisStorage(redis.Multiplexer, new Hangfire.Redis.StackExchange.RedisStorageOptions { Prefix = prefix, FetchTimeout = TimeSpan.FromMinutes(5) });
        var storage = new FetchGateJobStorage(inner, fetchers: 1);
        storage.WakeOn(redis.Multiplexer.GetSubscriber(), prefix);
        var server = redis.Multiplexer.GetServer(redis.Multiplexer.GetEndPoints()[0]);
        var subscribed = new Func<bool>(() => ((RedisResult[])server.Execute("PUBSUB", "NUMSUB", FetchGateJobStorage.JobFetchChannel(prefix))!)[1].ToString() == "1");
        Assert.True(SpinWait.SpinUntil(subscribed, TimeSpan.FromSeconds(10)), "the wake-up was not subscribed");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var taken = new BlockingCollection<string>();
        var fetcher = OnThread(() =>
        {
            while (!cts.IsCancellationRequested)
            {
                using var connection = storage.GetConnection();
                using var job = connection.FetchNextJob(["wake"], cts.Token);
                job.RemoveFromQueue();
                taken.Add(job.JobId);
            }

            return 0;
        });

        var client = new BackgroundJobClient(storage);
        for (var i = 0; i < 20; i++)
        {
            var id = client.Create(Job.FromExpression(() => WakeTestJob.Noop()), new Hangfire.States.EnqueuedState("wake"));
            Assert.True(taken.TryTake(out var got, TimeSpan.FromSeconds(10)), $"job {i} was not fetched within 10 s");
            Assert.Equal(id, got);
        }

        var burst = Enumerable.Range(0, 100).Select(_ => client.Create(Job.FromExpression(() => WakeTestJob.Noop()), new Hangfire.States.EnqueuedState("wake"))).ToList();
        var fetched = new List<string>();
        while (fetched.Count < burst.Count && taken.TryTake(out var got, TimeSpan.FromSeconds(10)))
        {
            fetched.Add(got);
        }

        Assert.Equal(burst.Order(StringComparer.Ordinal), fetched.Order(StringComparer.Ordinal));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetcher);
    }

    /// <summary>Runs a blocking fetch loop on its own thread, as Hangfire's workers do (the thread pool of a cold test
    /// process starts a new thread only every half second or so).</summary>
    private static Task<T> OnThread<T>(Func<T> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                done.SetResult(body());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true }.Start();
        return done.Task;
    }

    /// <summary>A real monitoring API for the stand-in to hand out (the gate must pass it through unchanged).</summary>
    private IMonitoringApi Monitoring()
        => new Hangfire.Redis.StackExchange.RedisStorage(redis.Multiplexer, new Hangfire.Redis.StackExchange.RedisStorageOptions { Prefix = TestRedis.NewPrefix() }).GetMonitoringApi();

    private sealed class CountingStorage(IMonitoringApi monitoring) : JobStorage
    {
        private int _inFetch;
        private int _max;

        public BlockingCollection<string> Jobs { get; } = [];

        public int MaxConcurrentFetches => Volatile.Read(ref _max);

        public int InFetch => Volatile.Read(ref _inFetch);

        public IMonitoringApi Monitoring { get; } = monitoring;

        public override IMonitoringApi GetMonitoringApi() => Monitoring;

        public override IStorageConnection GetConnection() => new Connection(this);

        public override bool HasFeature(string featureId) => featureId == "counting";

        private IFetchedJob Fetch(CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFetch);
            int max;
            do
            {
                max = Volatile.Read(ref _max);
            }
            while (now > max && Interlocked.CompareExchange(ref _max, now, max) != max);

            try
            {
                return new FetchedJob(Jobs.Take(cancellationToken));
            }
            finally
            {
                Interlocked.Decrement(ref _inFetch);
            }
        }

        private sealed class FetchedJob(string jobId) : IFetchedJob
        {
            public string JobId => jobId;

            public void RemoveFromQueue()
            {
            }

            public void Requeue()
            {
            }

            public void Dispose()
            {
            }
        }

        private sealed class Connection(CountingStorage storage) : JobStorageConnection
        {
            public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken) => storage.Fetch(cancellationToken);

            public override string GetJobParameter(string id, string name) => "value-of-" + name;

            public override IWriteOnlyTransaction CreateWriteTransaction() => throw new NotSupportedException();

            public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout) => throw new NotSupportedException();

            public override string CreateExpiredJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn) => throw new NotSupportedException();

            public override void SetJobParameter(string id, string name, string value) => throw new NotSupportedException();

            public override JobData GetJobData(string jobId) => throw new NotSupportedException();

            public override StateData GetStateData(string jobId) => throw new NotSupportedException();

            public override void AnnounceServer(string serverId, ServerContext context) => throw new NotSupportedException();

            public override void RemoveServer(string serverId) => throw new NotSupportedException();

            public override void Heartbeat(string serverId) => throw new NotSupportedException();

            public override int RemoveTimedOutServers(TimeSpan timeOut) => throw new NotSupportedException();

            public override HashSet<string> GetAllItemsFromSet(string key) => throw new NotSupportedException();

            public override string GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) => throw new NotSupportedException();

            public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs) => throw new NotSupportedException();

            public override Dictionary<string, string> GetAllEntriesFromHash(string key) => throw new NotSupportedException();
        }
    }
}

/// <summary>The job method of <see cref="FetchGateJobStorageTests.EveryEnqueue_WakesTheFetcher_LongBeforeTheFetchTimeout"/>
/// (never run; Hangfire needs a public method).</summary>
public static class WakeTestJob
{
    public static void Noop()
    {
    }
}
