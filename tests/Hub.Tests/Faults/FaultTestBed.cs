using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Tests.EndToEnd;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>What the fault tests (<see cref="FaultTests"/>, <see cref="HubKillFaultTests"/>) share: a fake Telegram, a
/// fake model (100 ms a turn), a redis-server of the test's own (append-only file, fsync always), the hub settings, and
/// the waits that fail within <see cref="StallAfter"/> of no progress with the state of the stuck sessions.</summary>
public abstract class FaultTestBed(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(90);

    /// <summary>No new answer (or no pending session cleared) for this long while some are missing: the test cannot
    /// succeed any more (longer than a 30-s lock lease left behind by a killed holder plus a rescue), so it fails at once
    /// with the state of what is stuck instead of waiting out <see cref="Drain"/>.</summary>
    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(45);
    protected FakeTelegramServer TelegramServer { get; } = new();
    protected FakeOpenAiServer ModelServer { get; } = new() { LatencyMs = 100 };
    protected RedisServerProcess RedisServer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await TelegramServer.StartAsync();
        await ModelServer.StartAsync();
        RedisServer = await RedisServerProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await RedisServer.DisposeAsync();
        await TelegramServer.DisposeAsync();
        await ModelServer.DisposeAsync();
    }

    protected Dictionary<string, string?> Settings(int leaseMs) => new()
    {
        ["ConnectionStrings:Redis"] = RedisServer.ConnectionString,
        ["Hub:KeyPrefix"] = "faults:",
        ["Hub:StaleSessionMs"] = "2000",
        ["Hub:NodeHeartbeatMs"] = "500",
        ["Hub:NodeTtlMs"] = "3000",
        ["Hub:LockLeaseMs"] = leaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hub:LockWaitMs"] = "1000",
        ["Hub:MaxRunsPerNode"] = "64",
        ["Channels:Telegram:BotToken"] = TelegramServer.BotToken,
        ["Channels:Telegram:Mode"] = "Webhook",
        ["Channels:Telegram:WebhookSecret"] = TelegramHub.Secret,
        ["Channels:Telegram:ApiBaseUrl"] = TelegramServer.BaseUrl,
        ["Agent:Endpoint"] = ModelServer.ApiBaseUrl,
        ["Agent:Model"] = "fake-model",
        ["Agent:ApiKey"] = "sk-test-key",
        ["Agent:RetryBaseDelayMs"] = "50",
    };

    /// <summary>The test's output.</summary>
    protected ITestOutputHelper Output => output;

    /// <summary>Waits until every acknowledged message is answered; fails as soon as no new answer came for
    /// <see cref="StallAfter"/> (or after <see cref="Drain"/>), naming the chats and messages missing and the state of
    /// every pending session.</summary>
    protected async Task WaitAnsweredAsync(ChatTraffic traffic, params ITestHub[] hubs)
    {
        var started = DateTime.UtcNow;
        var lastProgress = started;
        var answered = -1;
        int Count() => traffic.Answers().Sum(a => a.Value.Distinct().Count());
        while (Count() is var now && now < traffic.Total)
        {
            if (now != answered)
            {
                (answered, lastProgress) = (now, DateTime.UtcNow);
            }

            if (DateTime.UtcNow - lastProgress > StallAfter || DateTime.UtcNow - started > Drain)
            {
                var missing = traffic.Answers().Where(a => a.Value.Distinct().Count() < traffic.Total / traffic.Answers().Count)
                    .Select(a => $"{ChatTraffic.SessionKeyOf(a.Key)} answered [{string.Join(",", a.Value)}]").ToList();
                Assert.Fail($"{traffic.Total - now} of {traffic.Total} messages unanswered, no new answer for {(DateTime.UtcNow - lastProgress).TotalSeconds:0} s. "
                    + $"Chats missing answers:\n{string.Join("\n", missing)}\nStore:\n{await StateAsync(missing.Select(m => m[..m.IndexOf(' ', StringComparison.Ordinal)]))}\n{Rescues(hubs)}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The positive marker before the "nothing more happened" checks: no session is pending any more. Fails
    /// within <see cref="StallAfter"/> with the state of the sessions still pending.</summary>
    protected async Task WaitIdleAsync(params ITestHub[] hubs)
    {
        var db = RedisServer.Client.GetDatabase();
        try
        {
            await Eventually.UntilAsync(async () => await db.SortedSetLengthAsync("faults:pending") == 0, StallAfter);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"every message was answered, but sessions are still pending after {StallAfter.TotalSeconds:0} s:\n{await StateAsync([])}\n{Rescues(hubs)}");
        }
    }

    private Task<string> StateAsync(IEnumerable<string> sessions) => SessionStateDump.DescribeAsync(RedisServer.Client, "faults:", sessions);

    private static string Rescues(ITestHub[] hubs)
        => string.Join("\n", hubs.SelectMany(h => h.Output.Where(l => l.Contains("Rescued", StringComparison.Ordinal) || l.Contains("lost", StringComparison.Ordinal)).TakeLast(10).Select(l => h.NodeId + ": " + l)));
}
