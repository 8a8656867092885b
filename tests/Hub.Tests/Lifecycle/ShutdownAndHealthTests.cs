using System.Diagnostics;
using System.Net;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Faults;

namespace OpenClaw.Channels.Tests.Lifecycle;

/// <summary>Graceful shutdown lets the turn in flight finish; readiness answers within a second while Redis is down.</summary>
public class ShutdownAndHealthTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task Shutdown_LetsTheTurnInFlightFinish_AndSendItsAnswer()
    {
        await using var t = await TelegramHub.StartAsync(redis, model: m => m.LatencyMs = 1500);
        await t.PostOkAsync(TelegramUpdates.Text(41_001, 410, 410, "finish me"));
        await t.Model.WaitForRequestsAsync(1, TimeSpan.FromSeconds(20));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await t.Hub.App.StopAsync(stop.Token); // what SIGTERM does

        var sent = Assert.Single(t.Telegram.SentMessages);
        Assert.Equal("answer: finish me", sent.PlainText);
        Assert.Equal(1, t.Model.RequestCount); // not cancelled and paid for again elsewhere
    }

    [Fact]
    public async Task Readyz_AnswersWithinASecond_With503_WhileRedisIsDown()
    {
        await using var own = await RedisServerProcess.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = own.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
        });
        Assert.Contains("Healthy", await hub.WaitReadyAsync(), StringComparison.Ordinal);

        own.Kill();

        // The client sees the connection drop: from then on the checks answer at once, without waiting out a command.
        await Eventually.UntilAsync(async () =>
        {
            using var response = await hub.Http.GetAsync("/readyz");
            return (await response.Content.ReadAsStringAsync()).Contains("not connected to Redis", StringComparison.OrdinalIgnoreCase);
        }, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await hub.Http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"/readyz took {watch.Elapsed}");
        }

        await own.RestartAsync();
        Assert.Contains("Healthy", await hub.WaitReadyAsync(), StringComparison.Ordinal);
    }
}
