using System.Net;
using System.Net.Http.Json;
using OpenClaw.Channels.Hub.Cron;

namespace OpenClaw.Channels.Tests.Cron;

public class CronLaneTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(8);

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
        var runs = await node.WaitForRunsAsync("tick", r => r.Count >= 2, Wait);
        Assert.All(runs, r => Assert.Equal(CronRunStatus.Ok, r.Status));
        Assert.Equal(runs.Count, runs.Select(r => r.FireTimeUtc).Distinct().Count());

        Assert.Equal(HttpStatusCode.OK, (await node.PutJobAsync("tick", new { cron = "* * * * * ?", prompt = "say tick", enabled = false, target = bed.TelegramTarget("4242") })).StatusCode);
        await Task.Delay(1500); // a run enqueued just before the change may still finish
        var settled = bed.SentTo("4242").Count;
        var settledRuns = (await node.RunsAsync("tick")).Count;
        await Task.Delay(2500);
        Assert.Equal(settled, bed.SentTo("4242").Count);
        Assert.Equal(settledRuns, (await node.RunsAsync("tick")).Count);
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
        await Task.Delay(1500);

        var runs = await a.RunsAsync("both");
        Assert.True(runs.Count >= 10, $"only {runs.Count} runs");
        Assert.Equal(runs.Count, runs.Select(r => r.FireTimeUtc).Distinct().Count());
        Assert.All(runs, r => Assert.Equal(CronRunStatus.Ok, r.Status));
        Assert.Equal(runs.Count, bed.SentTo("77").Count);
        Assert.Equal(runs.Count, bed.Model.RequestCount);

        // Both schedulers fired every time; the fire key let one of them through.
        Assert.True(a.Dispatcher.FiresSeen >= 10 && b.Dispatcher.FiresSeen >= 10, $"fires seen: a {a.Dispatcher.FiresSeen}, b {b.Dispatcher.FiresSeen}");
        Assert.Equal(runs.Count, a.Dispatcher.FiresWon + b.Dispatcher.FiresWon);
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
        };
        var first = await bed.StartNodeAsync("first", redis, config);
        await bed.StopNodeAsync(first);
        var down = DateTimeOffset.UtcNow;

        // Restart 300 ms after an even second that leaves at least two fire times behind us.
        var lastMissed = DateTimeOffset.FromUnixTimeSeconds((down.ToUnixTimeSeconds() / 2 + 2) * 2);
        var restart = lastMissed.AddMilliseconds(300);
        await Task.Delay(restart - DateTimeOffset.UtcNow);
        var missed = new[] { lastMissed.AddSeconds(-2), lastMissed };
        Assert.True(missed[0] > down);

        var second = await bed.StartNodeAsync("second", redis, config);
        await Task.Delay(1200);
        var runs = await second.RunsAsync("every2");
        var caughtUp = runs.Where(r => r.FireTimeUtc > down && r.FireTimeUtc <= lastMissed).ToList();
        Assert.Equal(expected, caughtUp.Count);
        if (expected == 1)
        {
            Assert.Equal(lastMissed, caughtUp[0].FireTimeUtc);
            Assert.Equal(CronRunStatus.Ok, caughtUp[0].Status);
        }
    }
}
