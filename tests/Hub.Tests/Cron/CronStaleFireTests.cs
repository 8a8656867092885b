using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Tests.Cron;

/// <summary>A fire whose Hangfire job was still queued when every node stopped: when a node comes back after later fires
/// were missed, that job is recorded <c>skipped-stale</c> and does not hold the overlap lease against the catch-up run.</summary>
public class CronStaleFireTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FireQueuedWhenEveryNodeStopped_IsSkippedStale_AndTheCatchUpRunsOk()
    {
        await using var bed = await CronTestBed.StartAsync();
        bed.Model.LatencyMs = 1000; // a run that did start would still hold the lease when the catch-up starts

        // What a cluster that went down three intervals ago left behind: the job's last fire then, and that fire's Hangfire
        // job still waiting in the cron queue (its node stopped before a worker took it).
        var store = new RedisCronStore(redis.Multiplexer, new CronKeys(bed.KeyPrefix), TimeProvider.System);
        // Interval fire times are multiples of the interval since the epoch: an interval of about an hour whose next fire
        // time is at least ten minutes away, so no regular fire lands mid-test (3,600 fired at the top of every hour).
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var interval = Enumerable.Range(3600, 3600).First(i => i - (now % i) > 600);
        var lastFire = DateTimeOffset.FromUnixTimeSeconds((now / interval * interval) - (3 * interval));
        await store.SaveAsync(
            new CronJobDefinition
            {
                Id = "hourly",
                IntervalSeconds = interval,
                Prompt = "report",
                Misfire = CronMisfirePolicy.RunOnce,
                UpdatedUtc = lastFire.AddDays(-1),
                Target = new CronDeliveryTarget { Channel = "telegram", AccountId = bed.AccountId, ChatId = "81" },
            },
            CancellationToken.None);
        await store.SetLastFireAsync("hourly", lastFire, CancellationToken.None);
        var storage = new RedisStorage(redis.Multiplexer, new RedisStorageOptions { Prefix = new RedisKeys(bed.KeyPrefix).HangfirePrefix });
        var fire = lastFire.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var staleJob = new BackgroundJobClient(storage).Create(
            Job.FromExpression<CronRunJob>(j => j.RunAsync("hourly", "hourly", fire, false, CancellationToken.None)),
            new EnqueuedState(CronDispatcher.Queue));

        var node = await bed.StartNodeAsync("after-outage", redis);

        // The catch-up (run-once: the latest missed fire time) runs and delivers; the old fire is recorded stale.
        var runs = await node.WaitForRunsAsync("hourly", r => r.Count >= 2, Wait);
        Assert.Equal(2, runs.Count);
        var stale = Assert.Single(runs, r => r.FireTimeUtc == lastFire);
        Assert.Equal(CronRunStatus.SkippedStale, stale.Status);
        Assert.Null(stale.SessionKey);
        Assert.Contains("waited in the queue", stale.Error, StringComparison.Ordinal);
        var catchUp = Assert.Single(runs, r => r.FireTimeUtc != lastFire);
        Assert.Equal(CronRunStatus.Ok, catchUp.Status);
        Assert.True(catchUp.FireTimeUtc >= lastFire.AddSeconds(3 * interval), $"catch-up fire {catchUp.FireTimeUtc:O}");
        await bed.Telegram.WaitForMessagesAsync(1, Wait);
        Assert.Single(bed.SentTo("81"));
        Assert.Equal(1, bed.Model.RequestCount);

        // In the dashboard the stale fire is Deleted with the reason, not Succeeded.
        var monitor = node.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.UntilAsync(() => monitor.JobDetails(staleJob).History.FirstOrDefault()?.StateName == DeletedState.StateName, Wait, () => "the stale fire's job did not end Deleted");

        Assert.Contains("skipped-stale", monitor.JobDetails(staleJob).History[0].Reason, StringComparison.Ordinal);
    }
}
