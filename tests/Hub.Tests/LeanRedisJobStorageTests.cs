using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Hub.Jobs;
using OpenClaw.Channels.Tests;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Tests;

/// <summary>The leaner Hangfire.Redis steps (<see cref="LeanRedisJobStorage"/>) and the buffered history counters
/// (<see cref="SucceededStatisticsBuffer"/>) against real Redis and the embedded Garnet, on Hangfire.Redis's own keys.</summary>
public sealed class LeanRedisJobStorageTests(TestRedis redis, TestGarnet garnet) : IClassFixture<TestRedis>, IClassFixture<TestGarnet>
{
    public static TheoryData<string> Engines => new() { "redis", "garnet" };

    private readonly string _prefix = TestRedis.NewPrefix() + "hangfire:";

    private IConnectionMultiplexer Engine(string kind) => kind == "redis" ? redis.Multiplexer : garnet.Multiplexer;

    private LeanRedisJobStorage Create(string kind)
        => new(new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix, FetchTimeout = TimeSpan.FromSeconds(1) }), Engine(kind), _prefix);

    [Theory]
    [MemberData(nameof(Engines))]
    public void JobData_CarriesTheParameters_SoFiltersNeedNoSecondRead(string kind)
    {
        var storage = Create(kind);
        using var connection = storage.GetConnection();
        var id = connection.CreateExpiredJob(Job.FromExpression(() => Console.WriteLine("x")), new Dictionary<string, string> { ["CurrentCulture"] = "\"en-US\"" }, DateTime.UtcNow, TimeSpan.FromMinutes(5));
        connection.SetJobParameter(id, "FailedMessages", "[1]");

        var data = connection.GetJobData(id);

        Assert.InRange(Engine(kind).GetDatabase().KeyTimeToLive(_prefix + "job:" + id)!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        Assert.Equal("WriteLine", data.Job.Method.Name);
        Assert.Equal("\"en-US\"", data.ParametersSnapshot["CurrentCulture"]);
        Assert.Equal("[1]", data.ParametersSnapshot["FailedMessages"]);
        Assert.Null(connection.GetJobData("no-such-job"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task StateLock_IsExclusiveAcrossThreads_ReentrantOnOne_AndFreeAfterRelease(string kind)
    {
        var storage = Create(kind);
        using var connection = storage.GetConnection();
        var held = connection.AcquireDistributedLock("job:1:state-lock", TimeSpan.FromSeconds(1));
        using (connection.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero))
        {
            // the same thread again: reentrant, as Hangfire.Redis's lock
        }

        Assert.IsType<DistributedLockTimeoutException>(OnOtherThread(() => storage.GetConnection().AcquireDistributedLock("job:1:state-lock", TimeSpan.FromMilliseconds(100))));
        Assert.True(await Engine(kind).GetDatabase().KeyExistsAsync(_prefix + "job:1:state-lock"));

        held.Dispose();
        Assert.False(await Engine(kind).GetDatabase().KeyExistsAsync(_prefix + "job:1:state-lock"));
        Assert.Null(OnOtherThread(() => storage.GetConnection().AcquireDistributedLock("job:1:state-lock", TimeSpan.FromMilliseconds(100)).Dispose()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task StateLock_ReleasedAfterHalfItsHold_LeavesTheKeyOfAnotherHolder(string kind)
    {
        var time = new FakeTimeProvider();
        var storage = new LeanRedisJobStorage(new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix }), Engine(kind), _prefix, time: time);
        var db = Engine(kind).GetDatabase();
        using var connection = storage.GetConnection();

        var quick = connection.AcquireDistributedLock("job:2:state-lock", TimeSpan.FromSeconds(1));
        time.Advance(LeanRedisJobStorage.StateLockHold / 2 - TimeSpan.FromMilliseconds(1));
        quick.Dispose();
        Assert.False(await db.KeyExistsAsync(_prefix + "job:2:state-lock")); // the plain DEL

        var slow = connection.AcquireDistributedLock("job:2:state-lock", TimeSpan.FromSeconds(1));
        time.Advance(LeanRedisJobStorage.StateLockHold / 2);
        await db.StringSetAsync(_prefix + "job:2:state-lock", "other-holder"); // ours expired and another thread took it
        slow.Dispose();
        Assert.Equal("other-holder", (string?)await db.StringGetAsync(_prefix + "job:2:state-lock"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task StateChange_DeletesItsStateLockInItsOwnScript_AndAFailedScriptReleasesByToken(string kind)
    {
        var storage = Create(kind);
        var db = Engine(kind).GetDatabase();
        var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("l")), new EnqueuedState("lean"));
        using var connection = storage.GetConnection();
        var lockKey = _prefix + "job:" + id + ":state-lock";

        var held = connection.AcquireDistributedLock("job:" + id + ":state-lock", TimeSpan.FromSeconds(1));
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(id, new NamedState(ProcessingState.StateName));
            transaction.Commit();
        }

        Assert.False(await db.KeyExistsAsync(lockKey)); // gone with the commit, before the holder lets go
        await db.StringSetAsync(lockKey, "other-holder");
        held.Dispose();
        Assert.Equal("other-holder", (string?)await db.StringGetAsync(lockKey)); // nothing left to release
        await db.KeyDeleteAsync(lockKey);

        // A script that fails after its DEL ran (a WRONGTYPE error: Redis keeps the writes before it): the release
        // compares the token, so the key another holder took since stays.
        await db.StringSetAsync(_prefix + "not-a-set", "x");
        held = connection.AcquireDistributedLock("job:" + id + ":state-lock", TimeSpan.FromSeconds(1));
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(id, new NamedState(ProcessingState.StateName));
            transaction.AddToSet("not-a-set", "y");
            Assert.ThrowsAny<RedisException>(transaction.Commit);
        }

        Assert.False(await db.KeyExistsAsync(lockKey));
        await db.StringSetAsync(lockKey, "other-holder");
        held.Dispose();
        Assert.Equal("other-holder", (string?)await db.StringGetAsync(lockKey));
        Assert.Equal(ProcessingState.StateName, (string?)await db.HashGetAsync(_prefix + "job:" + id, "State"));
    }

    /// <summary>Runs <paramref name="action"/> on a thread of its own (a pool thread may be the test's own thread, which
    /// the lock treats as reentrant, as Hangfire's state changer runs synchronously on its worker thread).</summary>
    private static Exception? OnOtherThread(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        thread.Start();
        thread.Join();
        return error;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void RemovedFetchedJob_LeavesTheDequeuedList_Once_AndIsNotRequeuedOnDispose(string kind)
    {
        var storage = Create(kind);
        var db = Engine(kind).GetDatabase();
        var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("y")), new EnqueuedState("lean"));
        using var connection = storage.GetConnection();

        using (var fetched = connection.FetchNextJob(["lean"], CancellationToken.None))
        {
            Assert.Equal(id, fetched.JobId);
            Assert.Equal(1, db.ListLength(_prefix + "queue:lean:dequeued"));
            fetched.RemoveFromQueue();
            fetched.RemoveFromQueue(); // Hangfire's worker acknowledges twice; the second is a no-op
            Assert.Equal(0, db.ListLength(_prefix + "queue:lean:dequeued"));
            Assert.False(db.HashExists(_prefix + "job:" + id, "Fetched"));
        }

        Assert.Equal(0, db.ListLength(_prefix + "queue:lean"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void FetchedJob_NeitherRemovedNorRequeued_IsRequeuedOnDispose(string kind)
    {
        var storage = Create(kind);
        var db = Engine(kind).GetDatabase();
        var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("z")), new EnqueuedState("lean"));
        using var connection = storage.GetConnection();

        connection.FetchNextJob(["lean"], CancellationToken.None).Dispose();

        Assert.Equal(id, (string?)db.ListGetByIndex(_prefix + "queue:lean", 0));
        Assert.Equal(0, db.ListLength(_prefix + "queue:lean:dequeued"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task SucceededCounts_AreWrittenToTheDashboardsHistoryKeys_AndItsListTrimmed_ByTheFlush(string kind)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 4, 30, 0, TimeSpan.Zero));
        var buffer = new SucceededStatisticsBuffer(Engine(kind), _prefix, time, NullLogger<SucceededStatisticsBuffer>.Instance);
        var db = Engine(kind).GetDatabase();
        await db.ListLeftPushAsync(_prefix + "succeeded", Enumerable.Range(0, 600).Select(i => (RedisValue)("job-" + i)).ToArray());
        for (var i = 0; i < 3; i++)
        {
            buffer.CountSucceeded();
        }

        Assert.Equal(3, await buffer.FlushAsync());
        Assert.Equal(0, await buffer.FlushAsync());
        buffer.CountSucceeded();
        Assert.Equal(1, await buffer.FlushAsync());

        Assert.Equal(SucceededStatisticsBuffer.ListSize + 1, await db.ListLengthAsync(_prefix + "succeeded")); // the dashboard's list stays bounded
        Assert.Equal(4, (long)await db.StringGetAsync(_prefix + "stats:succeeded:2026-12-02"));
        Assert.Equal(4, (long)await db.StringGetAsync(_prefix + "stats:succeeded:2026-12-02-04"));
        Assert.InRange((await db.KeyTimeToLiveAsync(_prefix + "stats:succeeded:2026-12-02-04"))!.Value, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
        Assert.InRange((await db.KeyTimeToLiveAsync(_prefix + "stats:succeeded:2026-12-02"))!.Value, TimeSpan.FromDays(27), TimeSpan.FromDays(32));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task SucceededTotal_IsCountedInProcessOnceCommitted_AndAddedByTheFlush(string kind)
    {
        var buffer = new SucceededStatisticsBuffer(Engine(kind), _prefix, TimeProvider.System, NullLogger<SucceededStatisticsBuffer>.Instance);
        var storage = new LeanRedisJobStorage(new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix }), Engine(kind), _prefix)
        {
            SucceededTotal = buffer.CountSucceededTotal,
        };
        var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("t")), new EnqueuedState("lean"));
        Assert.True(new BackgroundJobClient(storage).ChangeState(id, new SucceededState("done", 1, 2), EnqueuedState.StateName));
        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(0, monitoring.GetStatistics().Succeeded); // no INCR in the state's script

        await buffer.FlushAsync();
        Assert.Equal(1, monitoring.GetStatistics().Succeeded);
        Assert.Equal(1, monitoring.SucceededListCount());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void CreatedAndEnqueuedJob_IsWrittenOnce_AsHangfireRedisWritesIt_AndTheDashboardSeesIt(string kind)
    {
        var storage = Create(kind);
        var db = Engine(kind).GetDatabase();

        var id = new BackgroundJobClient(storage).Create(Job.FromExpression(() => Console.WriteLine("e")), new EnqueuedState("lean"));

        Assert.Equal("Enqueued", (string?)db.HashGet(_prefix + "job:" + id, "State"));
        Assert.Equal("WriteLine", (string?)db.HashGet(_prefix + "job:" + id, "Method"));
        Assert.Null(db.KeyTimeToLive(_prefix + "job:" + id)); // created and enqueued in one step: never expiring
        Assert.Equal("Enqueued", (string?)db.HashGet(_prefix + "job:" + id + ":state", "State"));
        Assert.Equal(1, db.ListLength(_prefix + "job:" + id + ":history"));
        Assert.Null(db.KeyTimeToLive(_prefix + "job:" + id + ":history"));
        Assert.Null(db.KeyTimeToLive(_prefix + "job:" + id + ":state"));
        Assert.True(db.SetContains(_prefix + "queues", "lean"));
        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(1, monitoring.EnqueuedCount("lean"));
        var details = monitoring.JobDetails(id);
        Assert.Equal("Enqueued", details.History[0].StateName);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void ProcessedJob_EndsSucceeded_Expiring_WithItsAcknowledgementInTheSameStep(string kind)
    {
        var storage = Create(kind);
        var db = Engine(kind).GetDatabase();
        var client = new BackgroundJobClient(storage);
        var id = client.Create(Job.FromExpression(() => Console.WriteLine("p")), new EnqueuedState("lean"));
        using var connection = storage.GetConnection();
        using var fetched = connection.FetchNextJob(["lean"], CancellationToken.None);

        Assert.True(client.ChangeState(id, new NamedState(ProcessingState.StateName), EnqueuedState.StateName));
        Assert.Equal(1, db.SortedSetLength(_prefix + "processing"));
        Assert.True(storage.HasFeature(JobStorageFeatures.Transaction.RemoveFromQueue(fetched.GetType())));
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.RemoveFromSet("processing", id);
            transaction.SetJobState(id, new SucceededState("done", 1, 2));
            transaction.InsertToList("succeeded", id);
            transaction.IncrementCounter("stats:succeeded");
            transaction.ExpireJob(id, TimeSpan.FromHours(1));
            transaction.RemoveFromQueue(fetched);
            Assert.Equal(1, db.ListLength(_prefix + "queue:lean:dequeued")); // nothing lands before the commit
            transaction.Commit();
        }

        Assert.Equal(0, db.ListLength(_prefix + "queue:lean:dequeued"));
        fetched.RemoveFromQueue(); // the worker's second acknowledgement
        Assert.Equal(0, db.SortedSetLength(_prefix + "processing"));
        Assert.InRange(db.KeyTimeToLive(_prefix + "job:" + id + ":state")!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.InRange(db.KeyTimeToLive(_prefix + "job:" + id + ":history")!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(1, monitoring.SucceededListCount());
        Assert.Equal(["Succeeded", "Processing", "Enqueued"], monitoring.JobDetails(id).History.Select(h => h.StateName));
        Assert.Equal(1, monitoring.GetStatistics().Succeeded);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void FinishedJob_KeepsItsFetchedField_HiddenFromTheDashboard_AndAnEnqueueAgainClearsIt(string kind)
    {
        var storage = Create(kind);
        var db = Engine(kind).GetDatabase();
        var client = new BackgroundJobClient(storage);
        var id = client.Create(Job.FromExpression(() => Console.WriteLine("f")), new EnqueuedState("lean"));
        using var connection = storage.GetConnection();
        using (var fetched = connection.FetchNextJob(["lean"], CancellationToken.None))
        {
            Assert.True(client.ChangeState(id, new NamedState(ProcessingState.StateName), EnqueuedState.StateName));
            using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();
            transaction.RemoveFromSet("processing", id);
            transaction.SetJobState(id, new SucceededState("done", 1, 2));
            transaction.RemoveFromQueue(fetched);
            transaction.Commit();
        }

        Assert.Equal(0, db.ListLength(_prefix + "queue:lean:dequeued"));
        Assert.True(db.HashExists(_prefix + "job:" + id, "Fetched")); // the acknowledgement leaves it (one command less)
        var details = storage.GetMonitoringApi().JobDetails(id);
        Assert.Equal(["Succeeded", "Processing", "Enqueued"], details.History.Select(h => h.StateName));
        Assert.DoesNotContain("Fetched", details.Properties.Keys);
        Assert.Empty(storage.GetMonitoringApi().FetchedJobs("lean", 0, 10));

        // Requeued from the dashboard: the watcher must see the next fetch as unacknowledged if that fetch's reply is lost.
        Assert.True(client.ChangeState(id, new EnqueuedState("lean"), SucceededState.StateName));
        Assert.False(db.HashExists(_prefix + "job:" + id, "Fetched"));
        Assert.Equal(id, (string?)db.ListGetByIndex(_prefix + "queue:lean", 0));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void JobIdParameter_NamesTheCreatedJob_AndIsNotStored(string kind)
    {
        var storage = Create(kind);
        var wanted = Guid.NewGuid().ToString();
        var client = new BackgroundJobClient(storage);

        var id = client.Create(Job.FromExpression(() => Console.WriteLine("n")), new EnqueuedState("lean"), new Dictionary<string, object> { [LeanRedisJobStorage.JobIdParameter] = wanted });

        Assert.Equal(wanted, id);
        Assert.Equal("Enqueued", storage.GetMonitoringApi().JobDetails(id).History[0].StateName);
        Assert.False(Engine(kind).GetDatabase().HashExists(_prefix + "job:" + id, LeanRedisJobStorage.JobIdParameter));
        Assert.NotEqual(wanted, client.Create(Job.FromExpression(() => Console.WriteLine("n")), new EnqueuedState("lean")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Acknowledgement_ComparesTheFetch_OnlyOnceHalfTheInvisibilityTimeoutHasPassed(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var storage = new LeanRedisJobStorage(new RedisStorage(Engine(kind), new RedisStorageOptions { Prefix = _prefix }), Engine(kind), _prefix, time: time);
        var db = Engine(kind).GetDatabase();
        var client = new BackgroundJobClient(storage);
        var dequeued = _prefix + "queue:lean:dequeued";

        long Acknowledge(TimeSpan after)
        {
            var id = client.Create(Job.FromExpression(() => Console.WriteLine("a")), new EnqueuedState("lean"));
            using var connection = storage.GetConnection();
            using var fetched = connection.FetchNextJob(["lean"], CancellationToken.None);
            db.HashSet(_prefix + "job:" + id, "Fetched", "another fetch's"); // what a watcher's requeue and a new fetch leave
            time.Advance(after);
            using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
            {
                transaction.SetJobState(id, new SucceededState("done", 1, 2));
                transaction.RemoveFromQueue(fetched);
                transaction.Commit();
            }

            var left = db.ListLength(dequeued);
            db.KeyDelete(dequeued);
            return left;
        }

        // Within half of it no watcher can have requeued the job: one plain LREM.
        Assert.Equal(0, Acknowledge(storage.InvisibilityTimeout / 2 - TimeSpan.FromSeconds(1)));

        // Later the entry may be another fetch's: compared, and left.
        Assert.Equal(1, Acknowledge(storage.InvisibilityTimeout / 2));
    }

    /// <summary>A state by name (Hangfire's <see cref="ProcessingState"/> is created only by its worker).</summary>
    private sealed class NamedState(string name) : IState
    {
        public string Name => name;

        public string? Reason => null;

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new() { ["ServerId"] = "server-1" };
    }
}
