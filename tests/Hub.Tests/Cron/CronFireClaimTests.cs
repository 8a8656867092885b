using System.Globalization;
using System.Net;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.Cron;

/// <summary>Issue 12, point 6: claiming a fire and creating its Hangfire job succeed or fail together.</summary>
[TypicalDuration(11)]
public class CronFireClaimTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task JobCreationFailsAfterTheClaim_OnEveryNode_TheFireStillRunsExactlyOnce()
    {
        await using var bed = await CronTestBed.StartAsync();
        var clientA = new FailingJobClientHolder(failures: 1);
        var clientB = new FailingJobClientHolder(failures: 1);
        var a = await bed.StartNodeAsync("claim-a", redis, services: clientA.Register);
        var b = await bed.StartNodeAsync("claim-b", redis, services: clientB.Register);

        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3);
        Assert.Equal(HttpStatusCode.Created, (await a.PostJobAsync(new { id = "blip", at, prompt = "once", target = bed.TelegramTarget("61") })).StatusCode);

        var runs = await a.WaitForRunsAsync("blip", r => r.Count >= 1, TimeSpan.FromSeconds(30));
        await bed.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10));

        // Both nodes saw the fire; the first creation of the job failed on whichever node claimed first, the claim was
        // given back and the fire retried, and one job was created in the end.
        await Eventually.UntilAsync(() => a.Dispatcher.FiresWon + b.Dispatcher.FiresWon == 1, TimeSpan.FromSeconds(10));
        Assert.True(clientA.Client!.Attempts + clientB.Client!.Attempts >= 2, $"create attempts: a {clientA.Client.Attempts}, b {clientB.Client.Attempts}");
        Assert.Equal(1, clientA.Client.Created + clientB.Client.Created);
        var run = Assert.Single(runs);
        Assert.Equal(at, run.FireTimeUtc);
        Assert.Equal(CronRunStatus.Ok, run.Status);
        Assert.Single(bed.SentTo("61"));
    }

    [Fact]
    public async Task NodeDiesBetweenClaimAndJob_ItsPendingClaimRunsOut_AndAnotherNodeRunsTheFire()
    {
        await using var bed = await CronTestBed.StartAsync();
        const int nodeTtlMs = 2000;
        var node = await bed.StartNodeAsync("claim-survivor", redis, new Dictionary<string, string?> { ["Hub:NodeTtlMs"] = nodeTtlMs.ToString(CultureInfo.InvariantCulture) });

        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        var fireKey = new CronKeys(bed.KeyPrefix).Fire("orphan", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "orphan", at, prompt = "late but once", target = bed.TelegramTarget("62") })).StatusCode);

        // A node that claimed this fire and was killed before it created the job: its pending claim lives Hub:NodeTtlMs.
        var db = redis.Multiplexer.GetDatabase();
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow >= at.AddMilliseconds(-1000), TimeSpan.FromSeconds(5));
        Assert.True(await db.StringSetAsync(fireKey, "dead-node/claim", TimeSpan.FromMilliseconds(nodeTtlMs), StackExchange.Redis.When.NotExists));
        var claimEnds = DateTimeOffset.UtcNow.AddMilliseconds(nodeTtlMs);

        var run = Assert.Single(await node.WaitForRunsAsync("orphan", r => r.Count >= 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(at, run.FireTimeUtc);
        Assert.Equal(CronRunStatus.Ok, run.Status);
        Assert.True(run.StartedUtc >= claimEnds.AddMilliseconds(-100), $"started {run.StartedUtc:HH:mm:ss.fff}, the dead claim ran until {claimEnds:HH:mm:ss.fff}");
        Assert.StartsWith("done:", (string?)await db.StringGetAsync(fireKey), StringComparison.Ordinal);
        Assert.Equal(1, node.Dispatcher.FiresWon);
        Assert.Single(bed.SentTo("62"));
    }

    [Fact]
    public async Task FireWhoseJobWasCreatedTwice_RunsOnce_AndTheSecondJobEndsDeletedAsDuplicate()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("twice", redis);
        // 2,000,000,000 s: the job itself never fires during the test (interval fire times are multiples of the interval
        // since the epoch; 3,600 fired at the top of the hour, mid-test, a second run and a second answer).
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "dup", intervalSeconds = 2_000_000_000, prompt = "only once", target = bed.TelegramTarget("63") })).StatusCode);

        // What a lost answer to a job creation (or a claim taken over from a node that had created the job) leaves:
        // two Hangfire jobs for one fire time (the current hour's start, a time the schedule itself never fires).
        var client = node.App.Services.GetRequiredService<IBackgroundJobClient>();
        var fire = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var first = client.Create(Job.FromExpression<CronRunJob>(j => j.RunAsync("dup", "dup", fire, false, CancellationToken.None)), new EnqueuedState(CronDispatcher.Queue));
        var second = client.Create(Job.FromExpression<CronRunJob>(j => j.RunAsync("dup", "dup", fire, false, CancellationToken.None)), new EnqueuedState(CronDispatcher.Queue));

        var monitor = node.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        string State(string id) => monitor.JobDetails(id).History.FirstOrDefault()?.StateName ?? string.Empty;
        bool Final(string id) => State(id) == SucceededState.StateName || State(id) == DeletedState.StateName;
        await Eventually.UntilAsync(() => Final(first) && Final(second), TimeSpan.FromSeconds(20));

        var states = new[] { monitor.JobDetails(first).History[0], monitor.JobDetails(second).History[0] };
        Assert.Single(states, h => h.StateName == SucceededState.StateName);
        Assert.Contains("duplicate", Assert.Single(states, h => h.StateName == DeletedState.StateName).Reason, StringComparison.Ordinal);
        Assert.Equal(CronRunStatus.Ok, Assert.Single(await node.RunsAsync("dup")).Status);
        Assert.Single(bed.SentTo("63"));
    }

    /// <summary>Registers, before Hangfire's own registration (which only adds one when none is there), a job client
    /// whose first <c>failures</c> creations of cron runs throw as Hangfire does when its storage drops the connection.</summary>
    private sealed class FailingJobClientHolder(int failures)
    {
        public FailingJobClient? Client { get; private set; }

        public void Register(IServiceCollection services)
            => services.AddSingleton<IBackgroundJobClient>(sp => Client = new FailingJobClient(
                new BackgroundJobClient(sp.GetRequiredService<JobStorage>(), sp.GetService<IJobFilterProvider>() ?? JobFilterProviders.Providers),
                failures));
    }

    private sealed class FailingJobClient(IBackgroundJobClient inner, int failures) : IBackgroundJobClient
    {
        private int _attempts;
        private int _created;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Created => Volatile.Read(ref _created);

        public string Create(Job job, IState state)
        {
            if (job.Type == typeof(CronRunJob) && Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new BackgroundJobClientException("Background job creation failed. See inner exception for details.", new TimeoutException("Timeout performing EVAL (simulated Redis blip)"));
            }

            var id = inner.Create(job, state);
            if (job.Type == typeof(CronRunJob))
            {
                Interlocked.Increment(ref _created);
            }

            return id;
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
    }
}
