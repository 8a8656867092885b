using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Tests;

namespace OpenClaw.Channels.Cron.Tests;

/// <summary>The scheduler's start on <see cref="FakeTimeProvider"/> (the real Redis store, a Hangfire client that records
/// what it is asked to create): missed fire times, the misfire policy and the stale mark.</summary>
public class CronCatchUpTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 30, TimeSpan.Zero);

    [Theory]
    [InlineData(CronMisfirePolicy.RunOnce, 1)]
    [InlineData(CronMisfirePolicy.Skip, 0)]
    public async Task StartAfterMissedFires_MisfirePolicyDecidesTheCatchUp_AndEarlierFiresAreMarkedStale(string misfire, int expected)
    {
        var lastFire = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero); // 10:00, 11:00 and 12:00 were missed
        var (scheduler, store, client) = await StartAsync(new CronJobDefinition { Id = "hourly", IntervalSeconds = 3600, Prompt = "p", Misfire = misfire, UpdatedUtc = lastFire.AddDays(-1) }, lastFire);
        await using (scheduler)
        {
            Assert.Equal(expected, client.Created.Count);
            if (expected == 1)
            {
                // One run, for the latest missed fire time.
                Assert.Equal("2026-11-23T12:00:00Z", client.Created[0].Args[2]);
                Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), await store.GetLastFireAsync("hourly", CancellationToken.None));
            }

            // A queued job of the 09:00 fire (or earlier) waited through the outage: stale under either policy.
            Assert.Equal(lastFire, await store.GetStaleUntilAsync("hourly", CancellationToken.None));
            Assert.True(scheduler.IsScheduled("hourly"));
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task StartWithoutMissedFires_RunsNothing_AndMarksNothingStale()
    {
        var lastFire = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var (scheduler, store, client) = await StartAsync(new CronJobDefinition { Id = "hourly", IntervalSeconds = 3600, Prompt = "p", Misfire = CronMisfirePolicy.RunOnce, UpdatedUtc = lastFire.AddDays(-1) }, lastFire);
        await using (scheduler)
        {
            Assert.Empty(client.Created);
            Assert.Null(await store.GetStaleUntilAsync("hourly", CancellationToken.None));
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    private async Task<(CronScheduler Scheduler, RedisCronStore Store, RecordingJobClient Client)> StartAsync(CronJobDefinition job, DateTimeOffset lastFire)
    {
        var time = new FakeTimeProvider(Now);
        var store = new RedisCronStore(redis.Multiplexer, new CronKeys(TestRedis.NewPrefix()), time);
        await store.SaveAsync(job, CancellationToken.None);
        await store.SetLastFireAsync(job.Id, lastFire, CancellationToken.None);
        var client = new RecordingJobClient();
        var options = Options.Create(new CronOptions());
        var node = Options.Create(new CronNodeOptions { NodeId = "me" });
        var dispatcher = new CronDispatcher(store, client, options, node, time, NullLogger<CronDispatcher>.Instance);
        var service = new CronJobService(store, new CronJobValidator(new ChannelSenders([]), time), dispatcher, time);
        var scheduler = new CronScheduler(store, service, dispatcher, new CronJobFactory(new CronFireJob(dispatcher)), options, node, time, NullLogger<CronScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        return (scheduler, store, client);
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<Job> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            lock (Created)
            {
                Created.Add(job);
                return "job-" + Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => throw new NotSupportedException();
    }
}
