using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using OpenClaw.Channels.Hub.Jobs;
using OpenClaw.Channels.Tests;
using OpenClaw.Channels.Tests.Faults;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Tests;

/// <summary>The worker's second read of a job (<see cref="ProcessedJobCache"/>): the state change that ends a run is
/// computed from the job data its Processing state change read and wrote, and lands only while the job is still
/// Processing, so a Requeue or Delete from another process (the dashboard of another node) during the run wins as it did
/// under the state lock's fresh read. Hangfire's own <see cref="Worker"/> runs the job, on real Redis and the embedded
/// Garnet.</summary>
public sealed class ProcessedJobCacheTests(TestRedis redis, TestGarnet garnet) : IClassFixture<TestRedis>, IClassFixture<TestGarnet>
{
    public static TheoryData<string> Engines => new() { "redis", "garnet" };

    private readonly string _prefix = TestRedis.NewPrefix() + "hangfire:";
    private readonly string _queue = "q" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [MemberData(nameof(Engines))]
    public void ProcessedJobData_IsServedWithoutARead_UntilTheConnectionWritesTheJob(string kind)
    {
        var storage = Create(Engine(kind));
        var db = Engine(kind).GetDatabase();
        var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("c")), new EnqueuedState(_queue));
        using var connection = storage.GetConnection();
        using var fetched = connection.FetchNextJob([_queue], CancellationToken.None);
        Assert.NotNull(new BackgroundJobStateChanger().ChangeState(new StateChangeContext(storage, connection, id, new ProcessingNamedState(), EnqueuedState.StateName)));
        db.HashSet(_prefix + "job:" + id, "Behind", "1"); // not through this connection

        var served = connection.GetJobData(id);
        Assert.Equal(ProcessingState.StateName, served.State);
        Assert.Equal("WriteLine", served.Job.Method.Name);
        Assert.True(served.ParametersSnapshot.ContainsKey("Fetched"));
        Assert.False(served.ParametersSnapshot.ContainsKey("Behind"));

        connection.SetJobParameter(id, "P", "\"v\"");
        var fresh = connection.GetJobData(id);
        Assert.Equal("1", fresh.ParametersSnapshot["Behind"]);
        Assert.Equal("\"v\"", fresh.ParametersSnapshot["P"]);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void JobRunByHangfiresWorker_EndsSucceeded_AsBefore(string kind)
    {
        var storage = Create(Engine(kind));
        var id = RunBlocked(storage, storage, during: null);

        var details = storage.GetMonitoringApi().JobDetails(id);
        Assert.Equal(["Succeeded", "Processing", "Enqueued"], details.History.Select(h => h.StateName));
        Assert.Equal(0, Engine(kind).GetDatabase().ListLength(_prefix + "queue:" + _queue + ":dequeued"));
        Assert.Equal(0, Engine(kind).GetDatabase().SortedSetLength(_prefix + "processing"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void DeleteFromAnotherProcess_DuringTheRun_IsNotOverwrittenByTheWorkersSucceeded(string kind)
    {
        var worker = Create(Engine(kind));
        var dashboard = Create(Engine(kind)); // another node's storage: nothing in process is shared
        var id = RunBlocked(worker, dashboard, during: (client, job) => Assert.True(client.Delete(job)));

        var details = worker.GetMonitoringApi().JobDetails(id);
        Assert.Equal(["Deleted", "Processing", "Enqueued"], details.History.Select(h => h.StateName));
        Assert.Equal(0, worker.GetMonitoringApi().SucceededListCount());
        Assert.Equal(0, Engine(kind).GetDatabase().ListLength(_prefix + "queue:" + _queue + ":dequeued"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void RequeueFromAnotherProcess_DuringTheRun_IsNotOverwrittenByTheWorkersSucceeded(string kind)
    {
        var worker = Create(Engine(kind));
        var dashboard = Create(Engine(kind));
        var id = RunBlocked(worker, dashboard, during: (client, job) => Assert.True(client.Requeue(job)));

        var details = worker.GetMonitoringApi().JobDetails(id);
        Assert.Equal(["Enqueued", "Processing", "Enqueued"], details.History.Select(h => h.StateName));
        Assert.Equal(0, worker.GetMonitoringApi().SucceededListCount());
        Assert.Equal(id, (string?)Engine(kind).GetDatabase().ListGetByIndex(_prefix + "queue:default", 0)); // Requeue's queue
    }

    [Fact]
    public async Task JobRunByHangfiresWorker_ReadsItsJobHashOnce()
    {
        await using var server = await RedisServerProcess.StartAsync();
        using var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");
        var redisServer = admin.GetServer(admin.GetEndPoints()[0]);
        var storage = Create(server.Client);
        var id = RunBlocked(storage, storage, during: (_, _) => redisServer.Execute("CONFIG", "RESETSTAT"));

        var stats = (string)redisServer.Execute("INFO", "commandstats")!;
        Assert.Contains("cmdstat_evalsha:", stats, StringComparison.Ordinal); // the Succeeded state's script ran after the reset
        Assert.DoesNotContain("cmdstat_hgetall:", stats, StringComparison.Ordinal); // the Processing state's read came before it
        Assert.Equal(["Succeeded", "Processing", "Enqueued"], storage.GetMonitoringApi().JobDetails(id).History.Select(h => h.StateName));
    }

    /// <summary>Enqueues a blocking job with <paramref name="storage"/>, runs it with Hangfire's worker on it, calls
    /// <paramref name="during"/> with a client of <paramref name="other"/> while the job runs, then lets it end and waits
    /// for the worker.</summary>
    private string RunBlocked(LeanRedisJobStorage storage, LeanRedisJobStorage other, Action<BackgroundJobClient, string>? during)
    {
        var key = Guid.NewGuid().ToString("N");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        BlockingJob.Runs[key] = (started, release);
        try
        {
            var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => BlockingJob.Run(key)), new EnqueuedState(_queue));
            using var stopping = new CancellationTokenSource();
            var context = new BackgroundProcessContext("server-" + key, storage, new Dictionary<string, object>(), Guid.NewGuid(), stopping.Token, stopping.Token, stopping.Token);
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    // Its own performer and state changer, no global ones: the hubs other tests run in this process set
                    // Hangfire's static JobActivator.Current to their container (disposed once their test ends).
                    var filters = new JobFilterCollection();
                    new Worker([_queue], new BackgroundJobPerformer(filters, new JobActivator()), new BackgroundJobStateChanger(filters)).Execute(context);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            });
            thread.Start();
            Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the job did not start");
            during?.Invoke(new BackgroundJobClient(other), id);
            release.Set();
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the worker did not finish");
            Assert.Null(failure);
            return id;
        }
        finally
        {
            BlockingJob.Runs.TryRemove(key, out _);
        }
    }

    private IConnectionMultiplexer Engine(string kind) => kind == "redis" ? redis.Multiplexer : garnet.Multiplexer;

    private LeanRedisJobStorage Create(IConnectionMultiplexer engine)
        => new(new RedisStorage(engine, new RedisStorageOptions { Prefix = _prefix, FetchTimeout = TimeSpan.FromSeconds(1) }), engine, _prefix);

    /// <summary>Hangfire's <see cref="ProcessingState"/> by name (its constructor is the worker's).</summary>
    private sealed class ProcessingNamedState : IState
    {
        public string Name => ProcessingState.StateName;

        public string? Reason => null;

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new() { ["ServerId"] = "server-1" };
    }
}

/// <summary>The job of <see cref="ProcessedJobCacheTests"/>: signals it started and waits to be released (at most 30 s).</summary>
public static class BlockingJob
{
    internal static ConcurrentDictionary<string, (ManualResetEventSlim Started, ManualResetEventSlim Release)> Runs { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs the job of <paramref name="key"/>.</summary>
    public static void Run(string key)
    {
        var (started, release) = Runs[key];
        started.Set();
        release.Wait(TimeSpan.FromSeconds(30));
    }
}
