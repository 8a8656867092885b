using System.Globalization;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Tests.Cron;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>Issue 12, point 6: a node SIGKILLed during a cron run must not block the job for an hour.</summary>
[TypicalDuration(11)]
public class CronNodeKilledTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    private const int NodeTtlMs = 3000;
    private const int PeriodSeconds = 2;
    private const string JobId = "crash";
    private const string ChatId = "501";

    [Fact]
    public async Task NodeKilledMidRun_TheOtherNodeRunsTheNextFireWithinNodeTtl_AndSkipsNoLongerThanThat()
    {
        // Redis is not killed here, so the shared test server with this test's own key prefix serves.
        await using var model = new FakeOpenAiServer { LatencyMs = 120_000 };
        await model.StartAsync();
        await using var telegram = new FakeTelegramServer();
        await telegram.StartAsync();
        var prefix = TestRedis.NewPrefix();
        var directory = Path.Combine(Path.GetTempPath(), "openclaw-cron-faults", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = prefix,
            ["Hub:NodeTtlMs"] = NodeTtlMs.ToString(CultureInfo.InvariantCulture),
            ["Hub:NodeHeartbeatMs"] = "500",
            ["Hub:WorkerCount"] = "2",
            ["Hub:LockWaitMs"] = "5000",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:MaxRetries"] = "0",
            ["Channels:Telegram:BotToken"] = telegram.BotToken,
            ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Channels:Telegram:Mode"] = "Webhook",
            ["Channels:Telegram:WebhookSecret"] = "cron-fault-secret",
            ["Cron:Jobs:0:Id"] = JobId,
            ["Cron:Jobs:0:Cron"] = $"0/{PeriodSeconds} * * * * ?",
            ["Cron:Jobs:0:Prompt"] = "status report",
            ["Cron:Jobs:0:Target:Channel"] = "telegram",
            ["Cron:Jobs:0:Target:AccountId"] = telegram.BotId.ToString(CultureInfo.InvariantCulture),
            ["Cron:Jobs:0:Target:ChatId"] = ChatId,
        };
        var startTimeout = TimeSpan.FromSeconds(90);
        await using var a = await HubProcess.StartAsync("cron-a", Path.Combine(directory, "a"), settings, startTimeout);
        await using var b = await HubProcess.StartAsync("cron-b", Path.Combine(directory, "b"), settings, startTimeout);
        var nodes = new[] { a, b };
        var store = new RedisCronStore(redis.Multiplexer, new CronKeys(prefix), TimeProvider.System);

        // A run is in the model call (120 s): find its node from the lease and SIGKILL it.
        await Eventually.UntilAsync(() => Task.FromResult(model.InFlight >= 1), TimeSpan.FromSeconds(60), () => a.Output + "\n" + b.Output);
        var holder = await store.GetLeaseHolderAsync(JobId, CancellationToken.None);
        Assert.NotNull(holder);
        var victim = nodes.Single(n => holder.StartsWith(n.NodeId + "/", StringComparison.Ordinal));
        var survivor = nodes.Single(n => n != victim);
        victim.Kill();
        var killed = DateTimeOffset.UtcNow;
        model.LatencyMs = 0;

        // The survivor runs a fire after the kill: the dead node's lease ran out within Hub:NodeTtlMs.
        IReadOnlyList<CronRun> runs = [];
        await Eventually.UntilAsync(
            async () => (runs = await store.GetRunsAsync(JobId, 1000, CancellationToken.None)).Any(r => r.Status == CronRunStatus.Ok && r.FireTimeUtc > killed),
            TimeSpan.FromSeconds(60),
            () => survivor.Output + "\n" + Describe(runs));
        var firstOk = runs.Where(r => r.Status == CronRunStatus.Ok && r.FireTimeUtc > killed).MinBy(r => r.FireTimeUtc)!;
        Assert.Equal(survivor.NodeId, firstOk.Node);
        output.WriteLine($"killed {victim.NodeId} at {killed:HH:mm:ss.fff}; first run after it: fire {firstOk.FireTimeUtc:HH:mm:ss} started {firstOk.StartedUtc:HH:mm:ss.fff} on {firstOk.Node} ({(firstOk.StartedUtc - killed).TotalMilliseconds:F0} ms after the kill)");
        output.WriteLine(Describe(runs).Replace("; ", "\n", StringComparison.Ordinal));
        var bound = killed + TimeSpan.FromMilliseconds(NodeTtlMs) + TimeSpan.FromSeconds(PeriodSeconds + 1);
        Assert.True(firstOk.FireTimeUtc <= bound, $"first run after the kill at {killed:HH:mm:ss.fff} fired {firstOk.FireTimeUtc:HH:mm:ss}: {Describe(runs)}");

        // Skipped because of the dead node's lease: only fires within Hub:NodeTtlMs of the kill (+1 s: fire times are
        // whole seconds).
        var blockedByDead = runs.Where(r => r.Status == CronRunStatus.SkippedOverlap && r.Error?.Contains(victim.NodeId + "/", StringComparison.Ordinal) == true).ToList();
        Assert.All(blockedByDead, r => Assert.True(
            r.FireTimeUtc <= killed + TimeSpan.FromMilliseconds(NodeTtlMs + 1000),
            $"fire {r.FireTimeUtc:HH:mm:ss.fff} skipped {(r.FireTimeUtc - killed).TotalMilliseconds:F0} ms after the kill: {Describe(runs)}"));
        Assert.DoesNotContain(runs, r => r.Node == victim.NodeId && r.Status == CronRunStatus.Ok);
        Assert.Contains(telegram.SentMessages, m => m.ChatId == ChatId && m.PlainText.Contains("answer: status report", StringComparison.Ordinal));

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static string Describe(IEnumerable<CronRun> runs)
        => string.Join("; ", runs.OrderBy(r => r.FireTimeUtc).Select(r => $"{r.FireTimeUtc:HH:mm:ss} {r.Node} {r.Status} {r.Error}"));
}
