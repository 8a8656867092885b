using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.Cron;

[TypicalDuration(36)]
public class CronLaneTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PerSecondJob_DeliversTheAgentsAnswerToTheTarget_AndStopsWhenDisabled()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("a", redis);
        var job = new { id = "tick", name = "Tick", cron = "* * * * * ?", prompt = "say tick", target = bed.TelegramTarget("4242") };

        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(job)).StatusCode);
        var sent = await bed.Telegram.WaitForMessagesAsync(2, Wait);
        Assert.All(sent, m => Assert.Equal("4242", m.ChatId));
        Assert.All(sent, m => Assert.Contains("answer: say tick", m.PlainText, StringComparison.Ordinal));
        var runs = await node.WaitForRunsAsync("tick", r => r.Count(x => x.Status == CronRunStatus.Ok) >= 2, Wait);
        Assert.All(runs, r => Assert.Contains(r.Status, new[] { CronRunStatus.Ok, CronRunStatus.SkippedOverlap }));
        runs = runs.Where(r => r.Status == CronRunStatus.Ok).ToList();
        Assert.Equal(runs.Count, runs.Select(r => r.FireTimeUtc).Distinct().Count());

        // Readable in the Hangfire dashboard: "cron {name} @ {fire time}".
        var page = await node.Client.GetStringAsync("/hangfire/jobs/succeeded");
        Assert.Contains("cron Tick @ " + runs[^1].FireTimeUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await node.PutJobAsync("tick", new { cron = "* * * * * ?", prompt = "say tick", enabled = false, target = bed.TelegramTarget("4242") })).StatusCode);
        // A run enqueued just before the change may still finish: wait until the scheduler dropped the job, no fire is on
        // its way to Hangfire and every cron job created so far has ended.
        await Eventually.UntilAsync(() => !node.Scheduler.IsScheduled("tick") && node.Dispatcher.InFlight == 0, Wait);
        var monitor = node.App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var won = node.Dispatcher.FiresWon;
        await Eventually.UntilAsync(() => monitor.SucceededListCount() + monitor.DeletedListCount() + monitor.FailedCount() >= won, Wait);
        var settled = bed.SentTo("4242").Count;
        var settledRuns = (await node.RunsAsync("tick")).Count;

        // Time goes on with the scheduler running (another per-second job delivers twice); the disabled job adds nothing.
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "tock", cron = "* * * * * ?", prompt = "say tock", target = bed.TelegramTarget("4243") })).StatusCode);
        await Eventually.UntilAsync(() => bed.SentTo("4243").Count >= 2, Wait);
        Assert.Equal(settled, bed.SentTo("4242").Count);
        Assert.Equal(settledRuns, (await node.RunsAsync("tick")).Count);
        Assert.Equal((await node.RunsAsync("tick")).Count(r => r.Status == CronRunStatus.Ok), settled);
    }

    [Fact]
    public async Task TwoNodes_SameJob_EveryFireTimeRunsAndDeliversExactlyOnce()
    {
        await using var bed = await CronTestBed.StartAsync();
        var config = new Dictionary<string, string?>
        {
            ["Cron:Jobs:0:Id"] = "both",
            ["Cron:Jobs:0:Name"] = "On both nodes",
            ["Cron:Jobs:0:Cron"] = "* * * * * ?",
            ["Cron:Jobs:0:Prompt"] = "count",
            ["Cron:Jobs:0:Target:Channel"] = "telegram",
            ["Cron:Jobs:0:Target:AccountId"] = bed.AccountId,
            ["Cron:Jobs:0:Target:ChatId"] = "77",
        };
        var a = await bed.StartNodeAsync("a", redis, config);
        var b = await bed.StartNodeAsync("b", redis, config);

        await a.WaitForRunsAsync("both", r => r.Count >= 11, TimeSpan.FromSeconds(15));
        var off = await a.Client.GetFromJsonAsync<CronJobDefinition>("/api/cron/jobs/both", CronHubNode.Json);
        off!.Enabled = false;
        Assert.Equal(HttpStatusCode.OK, (await a.PutJobAsync("both", off)).StatusCode);
        await Eventually.UntilAsync(() => !a.Scheduler.IsScheduled("both") && !b.Scheduler.IsScheduled("both") && a.Dispatcher.InFlight == 0 && b.Dispatcher.InFlight == 0, Wait);
        var won = a.Dispatcher.FiresWon + b.Dispatcher.FiresWon;
        await a.WaitForRunsAsync("both", r => r.Count >= won, Wait); // every enqueued fire has run (or was skipped) and is recorded

        var runs = await a.RunsAsync("both");
        Assert.True(runs.Count >= 10, $"only {runs.Count} runs");
        // One run per fire time, none missing between the first and the last; a fire that found the previous run still
        // going on a loaded machine is recorded as skipped-overlap and delivers nothing.
        var fireTimes = runs.Select(r => r.FireTimeUtc).Order().ToList();
        Assert.Equal(fireTimes.Count, fireTimes.Distinct().Count());
        Assert.Equal((int)(fireTimes[^1] - fireTimes[0]).TotalSeconds + 1, fireTimes.Count);
        Assert.All(runs, r => Assert.Contains(r.Status, new[] { CronRunStatus.Ok, CronRunStatus.SkippedOverlap }));
        var ok = runs.Count(r => r.Status == CronRunStatus.Ok);
        Assert.True(ok >= 5, $"only {ok} ok runs");
        Assert.Equal(ok, bed.SentTo("77").Count);
        Assert.Equal(ok, bed.Model.RequestCount);

        // Both schedulers fired every time; the fire key let one of them through.
        Assert.True(a.Dispatcher.FiresSeen >= 10 && b.Dispatcher.FiresSeen >= 10, $"fires seen: a {a.Dispatcher.FiresSeen}, b {b.Dispatcher.FiresSeen}");
        Assert.Equal(runs.Count, a.Dispatcher.FiresWon + b.Dispatcher.FiresWon);
    }

    [Fact]
    public async Task OneShotAt_IsMarkedDoneAfterItFired_AndLeavesTheActiveList_KeepingItsHistory()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("once", redis);
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 4); // still ahead once a loaded node posted it
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "once", at, prompt = "ping", target = bed.TelegramTarget("71") })).StatusCode);
        Assert.Contains((await node.Client.GetFromJsonAsync<List<CronJobDefinition>>("/api/cron/jobs", CronHubNode.Json))!, j => j.Id == "once");

        var run = Assert.Single(await node.WaitForRunsAsync("once", r => r.Count == 1, Wait));
        Assert.Equal(at, run.FireTimeUtc);
        Assert.Equal(CronRunStatus.Ok, run.Status);
        await Eventually.UntilAsync(() => node.Store.GetAsync("once", CancellationToken.None).GetAwaiter().GetResult()?.DoneUtc is not null, Wait);

        Assert.DoesNotContain((await node.Client.GetFromJsonAsync<List<CronJobDefinition>>("/api/cron/jobs", CronHubNode.Json))!, j => j.Id == "once");
        var all = (await node.Client.GetFromJsonAsync<List<CronJobDefinition>>("/api/cron/jobs?all=true", CronHubNode.Json))!;
        Assert.True(Assert.Single(all, j => j.Id == "once").DoneUtc >= at);
        Assert.NotNull((await node.Client.GetFromJsonAsync<CronJobDefinition>("/api/cron/jobs/once", CronHubNode.Json))!.DoneUtc);
        Assert.Single((await node.Client.GetFromJsonAsync<List<CronRun>>("/api/cron/jobs/once/runs", CronHubNode.Json))!);
        Assert.Single(bed.SentTo("71"));

        // A new time makes it active again; a client cannot mark a job done itself.
        var later = DateTimeOffset.UtcNow.AddHours(1);
        Assert.Equal(HttpStatusCode.OK, (await node.PutJobAsync("once", new { at = later, prompt = "ping", doneUtc = DateTimeOffset.UtcNow })).StatusCode);
        Assert.Null((await node.Store.GetAsync("once", CancellationToken.None))!.DoneUtc);
        Assert.Contains((await node.Client.GetFromJsonAsync<List<CronJobDefinition>>("/api/cron/jobs", CronHubNode.Json))!, j => j.Id == "once");
    }

    [Fact]
    public async Task ChangeOnOneNode_ReachesTheOtherNodesScheduler_WithinASecond()
    {
        await using var bed = await CronTestBed.StartAsync();
        var a = await bed.StartNodeAsync("a", redis);
        var b = await bed.StartNodeAsync("b", redis, new Dictionary<string, string?> { ["Cron:ResyncSeconds"] = "3600" });

        Assert.Equal(HttpStatusCode.Created, (await a.PostJobAsync(new { id = "spread", cron = "* * * * * ?", prompt = "p" })).StatusCode);
        await Eventually.UntilAsync(() => b.Dispatcher.FiresSeen > 0, TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.OK, (await b.PutJobAsync("spread", new { cron = "* * * * * ?", prompt = "p", enabled = false })).StatusCode);
        await Eventually.UntilAsync(() => !a.Scheduler.IsScheduled("spread"), TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => a.Dispatcher.InFlight == 0, Wait);
        var seen = a.Dispatcher.FiresSeenOf("spread");

        // Time goes on with a's scheduler running (another job fires there twice); the disabled job fires no more.
        Assert.Equal(HttpStatusCode.Created, (await a.PostJobAsync(new { id = "control", cron = "* * * * * ?", prompt = "p" })).StatusCode);
        await Eventually.UntilAsync(() => a.Dispatcher.FiresSeenOf("control") >= 2, Wait);
        Assert.Equal(seen, a.Dispatcher.FiresSeenOf("spread"));
    }

    [Fact]
    public async Task CronQueue_HasItsOwnJobServer_WithCronConcurrencyWorkers()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("workers", redis, new Dictionary<string, string?> { ["Cron:Concurrency"] = "3" });
        var storage = node.App.Services.GetRequiredService<Hangfire.JobStorage>();
        await Eventually.UntilAsync(() => storage.GetMonitoringApi().Servers().Any(s => s.Name.StartsWith("workers-cron:", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));
        var server = storage.GetMonitoringApi().Servers().Single(s => s.Name.StartsWith("workers-cron:", StringComparison.Ordinal));
        Assert.Equal(3, server.WorkersCount);
        Assert.Equal(["cron"], server.Queues);
        await Eventually.UntilAsync(() => storage.GetMonitoringApi().Servers().Any(s => s.Name.StartsWith("workers:", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(storage.GetMonitoringApi().Servers().Where(s => s.Name.StartsWith("workers:", StringComparison.Ordinal)).SelectMany(s => s.Queues), q => q == "cron");
        // JobServerHealthCheck looks for "{NodeId}:" — the chat server only, never "{NodeId}-cron:".
        Assert.Single(storage.GetMonitoringApi().Servers(), s => s.Name.StartsWith("workers:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CronMisfirePolicy.Skip, 0)]
    [InlineData(CronMisfirePolicy.RunOnce, 1)]
    public async Task HubDownAcrossTwoFireTimes_MisfirePolicyDecidesTheCatchUp(string misfire, int expected)
    {
        await using var bed = await CronTestBed.StartAsync();
        var config = new Dictionary<string, string?>
        {
            ["Cron:Jobs:0:Id"] = "every2",
            ["Cron:Jobs:0:Cron"] = "0/2 * * * * ?",
            ["Cron:Jobs:0:Prompt"] = "report",
            ["Cron:Jobs:0:Misfire"] = misfire,
            ["Cron:Jobs:0:Target:Channel"] = "telegram",
            ["Cron:Jobs:0:Target:AccountId"] = bed.AccountId,
            ["Cron:Jobs:0:Target:ChatId"] = "99",
            // One cron run at a time: on a loaded machine the second node's start can outlast the 1.7 s to its first
            // regular fire, whose run then held the overlap lease when the catch-up started (skipped-overlap).
            ["Cron:Concurrency"] = "1",
        };
        var first = await bed.StartNodeAsync("first", redis, config);

        // Stop right after a fire of the first node has run through, not with a fire still waiting in the cron queue: a
        // leftover run of an earlier fire would hold the overlap lease when the catch-up starts and make it skipped-overlap.
        var jobs = first.App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        await Eventually.UntilAsync(
            () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 2000 is >= 300 and < 1000
                && jobs.EnqueuedCount(CronDispatcher.Queue) == 0 && jobs.ProcessingCount() == 0,
            TimeSpan.FromSeconds(20));
        await bed.StopNodeAsync(first);
        var down = DateTimeOffset.UtcNow;

        // Restart 300 ms after an even second that leaves at least two fire times behind us.
        var lastMissed = DateTimeOffset.FromUnixTimeSeconds((down.ToUnixTimeSeconds() / 2 + 2) * 2);
        var restart = lastMissed.AddMilliseconds(300);
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow >= restart, Wait);
        var missed = new[] { lastMissed.AddSeconds(-2), lastMissed };
        Assert.True(missed[0] > down);

        var logs = new FakeLogCollector();
        config["Logging:LogLevel:OpenClaw.Channels.Cron"] = "Information";
        var second = await bed.StartNodeAsync("second", redis, config, services: s => s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        var ready = DateTimeOffset.UtcNow;

        // The first regular fire after the restart ran through: a catch-up, enqueued at start before any regular fire,
        // has ended by then (it held the overlap lease while it ran).
        await second.WaitForRunsAsync("every2", r => r.Any(x => x.FireTimeUtc > lastMissed && x.Status == CronRunStatus.Ok), Wait);
        var runs = await second.RunsAsync("every2");
        var catchUps = logs.GetSnapshot().Where(r => r.Id.Id == 8003).ToList(); // "missed fire ... run-once catch-up enqueued"
        var caughtUp = runs.Where(r => r.FireTimeUtc > down && r.FireTimeUtc <= lastMissed).ToList();
        if (expected == 0 || ready < lastMissed.AddSeconds(2))
        {
            Assert.Equal(expected, caughtUp.Count);
            Assert.Equal(expected, catchUps.Count);
            if (expected == 1)
            {
                Assert.Equal(lastMissed, caughtUp[0].FireTimeUtc);
                Assert.Equal(CronRunStatus.Ok, caughtUp[0].Status);
            }
        }
        else
        {
            // The node took longer than the 1.7 s to the next fire time to start (a loaded machine): that fire was missed
            // too, and the one catch-up is for it, the latest missed. Still one catch-up, never the earlier missed fires.
            Assert.Single(catchUps);
            Assert.DoesNotContain(runs, r => r.FireTimeUtc > down && r.FireTimeUtc < lastMissed);
            var earliest = runs.Where(r => r.FireTimeUtc > down).MinBy(r => r.FireTimeUtc)!;
            Assert.InRange(earliest.FireTimeUtc, lastMissed, ready);
            Assert.Equal(CronRunStatus.Ok, earliest.Status);
        }
    }
}
