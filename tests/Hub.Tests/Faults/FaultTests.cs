using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Tests.EndToEnd;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>The run lifecycle under the ordinary faults of a deployment, with real processes: a redis-server of the
/// test's own (append-only file, fsync always) SIGKILLed and restarted, a hub process SIGKILLed between the platform
/// accepting an answer and the pop, a backlog longer than <c>Hub:StaleSessionMs</c>. Each asserts that every acknowledged
/// message is answered exactly once and in order per chat, and counts rescues.</summary>
[Collection(FaultCollection.Name)]
public sealed class FaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(90);

    /// <summary>No new answer (or no pending session cleared) for this long while some are missing: the test cannot
    /// succeed any more (longer than a 30-s lock lease left behind by a killed holder plus a rescue), so it fails at once
    /// with the state of what is stuck instead of waiting out <see cref="Drain"/>.</summary>
    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(45);
    private readonly FakeTelegramServer _telegram = new();
    private readonly FakeOpenAiServer _model = new() { LatencyMs = 100 };
    private RedisServerProcess _redis = null!;

    public async Task InitializeAsync()
    {
        await _telegram.StartAsync();
        await _model.StartAsync();
        _redis = await RedisServerProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _telegram.DisposeAsync();
        await _model.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(int leaseMs) => new()
    {
        ["ConnectionStrings:Redis"] = _redis.ConnectionString,
        ["Hub:KeyPrefix"] = "faults:",
        ["Hub:StaleSessionMs"] = "2000",
        ["Hub:NodeHeartbeatMs"] = "500",
        ["Hub:NodeTtlMs"] = "3000",
        ["Hub:LockLeaseMs"] = leaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hub:LockWaitMs"] = "1000",
        ["Hub:MaxRunsPerNode"] = "64",
        ["Channels:Telegram:BotToken"] = _telegram.BotToken,
        ["Channels:Telegram:Mode"] = "Webhook",
        ["Channels:Telegram:WebhookSecret"] = TelegramHub.Secret,
        ["Channels:Telegram:ApiBaseUrl"] = _telegram.BaseUrl,
        ["Agent:Endpoint"] = _model.ApiBaseUrl,
        ["Agent:Model"] = "fake-model",
        ["Agent:ApiKey"] = "sk-test-key",
        ["Agent:RetryBaseDelayMs"] = "50",
    };

    [Theory]
    [InlineData(30_000)]
    [InlineData(10_000)]
    public async Task RedisSigkilledMidTraffic_AndRestartedFromItsAof_LosesDuplicatesAndReordersNothing(int leaseMs)
    {
        await using var a = await HubProcess.StartAsync("fault-a", Settings(leaseMs));
        await using var b = await HubProcess.StartAsync("fault-b", Settings(leaseMs));
        var traffic = new ChatTraffic(_telegram, chats: 20, perChat: 6);
        var outage = Task.CompletedTask;
        await traffic.PostAllAsync(
            attempt => (attempt % 2 == 0 ? a : b).Http,
            acked =>
            {
                if (acked == 40)
                {
                    // Turns are in flight (100 ms model, 40 messages queued): the store vanishes for 6 s.
                    _redis.Kill();
                    outage = Task.Run(async () =>
                    {
                        await Task.Delay(TimeSpan.FromSeconds(6));
                        await _redis.RestartAsync();
                    });
                }

                return Task.CompletedTask;
            });
        await outage;
        await WaitAnsweredAsync(traffic, a, b);
        await WaitIdleAsync(a, b);

        var (lost, duplicated, reordered) = traffic.Check();
        var rescues = a.CountLines("Rescued stale session") + b.CountLines("Rescued stale session");
        output.WriteLine($"lease {leaseMs} ms: {traffic.Total} messages, lost {lost}, duplicated {duplicated}, reordered {reordered}, rescues {rescues}");
        Assert.True(traffic.Total >= 100);
        Assert.Equal((0, 0, 0), (lost, duplicated, reordered));
        Assert.InRange(rescues, 0, 20); // at most one per session: runs whose job never got created while Redis was down
    }

    [Fact]
    public async Task HubSigkilledBetweenTheSendAndThePop_TheNextRunPopsWithoutSendingAgain()
    {
        // Fault injection with Redis's own ACLs: once the platform has accepted answer number 30, the hubs lose the right
        // to run scripts (the pop is a script; the delivery record is a plain SET), so the sending hub records the
        // delivery and cannot pop. The test then SIGKILLs it; a second hub takes over the sessions.
        var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "tester", "on", ">tester-pw", "~*", "&*", "+@all");
        await using var tester = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",user=tester,password=tester-pw");
        var settings = Settings(3_000);
        await using var a = await HubProcess.StartAsync("fault-send-a", settings);
        var recorded = new TaskCompletionSource();
        var answers = 0;
        _telegram.BeforeSendMessageResponse = async sent =>
        {
            if (Interlocked.Increment(ref answers) == 30)
            {
                _telegram.FailNext("sendMessage", 502, "Bad Gateway", times: 100_000); // nothing else lands meanwhile
                await tester.GetDatabase().ExecuteAsync("ACL", "SETUSER", "default", "-@scripting");
                _ = Task.Run(async () =>
                {
                    var server = tester.GetServer(tester.GetEndPoints()[0]);
                    try
                    {
                        await Eventually.UntilAsync(() => server.Keys(pattern: "faults:delivery:*").Any(), TimeSpan.FromSeconds(10));
                    }
                    catch (TimeoutException)
                    {
                        // killed anyway: the assertions below then show what was recorded
                    }

                    a.Kill();
                    recorded.TrySetResult();
                });
            }
        };

        var traffic = new ChatTraffic(_telegram, chats: 10, perChat: 10);
        HubProcess? b = null;
        try
        {
            await KillThenTakeOverAsync();
        }
        finally
        {
            if (b is not null)
            {
                await b.DisposeAsync();
            }

            await admin.DisposeAsync();
        }

        async Task KillThenTakeOverAsync()
        {
            var posting = traffic.PostAllAsync(_ => (b ?? a).Http);
            await recorded.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True((await tester.GetServer(tester.GetEndPoints()[0]).KeysAsync(pattern: "faults:delivery:*").ToListAsync()).Count >= 1, "the delivery was recorded before the kill");
            await tester.GetDatabase().ExecuteAsync("ACL", "SETUSER", "default", "+@all");
            _telegram.ClearFailures("sendMessage");
            _telegram.BeforeSendMessageResponse = null;
            b = await HubProcess.StartAsync("fault-send-b", settings);
            await posting;
            await WaitAnsweredAsync(traffic, b);
            await WaitIdleAsync(b);

            var (lost, duplicated, reordered) = traffic.Check();
            var rescues = b.CountLines("Rescued stale session");
            output.WriteLine($"{traffic.Total} messages, lost {lost}, duplicated {duplicated}, reordered {reordered}, rescues {rescues}");
            Assert.Equal((0, 0, 0), (lost, duplicated, reordered));
            Assert.InRange(rescues, 1, 10); // the dead node's sessions, each once
        }
    }

    [Fact]
    public async Task BacklogLongerThanStaleSessionMs_RescuesNothing_AndCreatesNoExtraJobs()
    {
        var settings = Settings(30_000);
        settings["Hub:StaleSessionMs"] = "1000";
        settings["Hub:WorkerCount"] = "2"; // 120 runs of ~110 ms on 2 workers: a ~7 s backlog, 7 x StaleSessionMs
        await using var hub = await HubProcess.StartAsync("fault-backlog", settings);
        var traffic = new ChatTraffic(_telegram, chats: 120, perChat: 1);
        var started = DateTime.UtcNow;
        await traffic.PostAllAsync(_ => hub.Http);
        await WaitAnsweredAsync(traffic, hub);
        await WaitIdleAsync(hub);
        var backlog = DateTime.UtcNow - started;

        var (lost, duplicated, reordered) = traffic.Check();
        var rescues = hub.CountLines("Rescued stale session");
        foreach (var line in hub.Lines.Where(l => l.Contains("Rescued", StringComparison.Ordinal)).Take(5))
        {
            output.WriteLine(line);
        }

        var db = _redis.Client.GetDatabase();
        var succeeded = (long)await db.StringGetAsync("faults:hangfire:stats:succeeded");
        output.WriteLine($"{traffic.Total} messages in {backlog.TotalSeconds:F1} s, lost {lost}, duplicated {duplicated}, reordered {reordered}, rescues {rescues}, succeeded jobs {succeeded}");
        Assert.True(backlog > TimeSpan.FromSeconds(3), $"the backlog ({backlog}) should outlast Hub:StaleSessionMs several times");
        Assert.Equal((0, 0, 0), (lost, duplicated, reordered));
        Assert.Equal(0, rescues);
        Assert.Equal(traffic.Total, succeeded); // one job per session, no extra jobs
    }

    /// <summary>Waits until every acknowledged message is answered; fails as soon as no new answer came for
    /// <see cref="StallAfter"/> (or after <see cref="Drain"/>), naming the chats and messages missing and the state of
    /// every pending session.</summary>
    private async Task WaitAnsweredAsync(ChatTraffic traffic, params HubProcess[] hubs)
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
    private async Task WaitIdleAsync(params HubProcess[] hubs)
    {
        var db = _redis.Client.GetDatabase();
        try
        {
            await Eventually.UntilAsync(async () => await db.SortedSetLengthAsync("faults:pending") == 0, StallAfter);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"every message was answered, but sessions are still pending after {StallAfter.TotalSeconds:0} s:\n{await StateAsync([])}\n{Rescues(hubs)}");
        }
    }

    private Task<string> StateAsync(IEnumerable<string> sessions) => SessionStateDump.DescribeAsync(_redis.Client, "faults:", sessions);

    private static string Rescues(HubProcess[] hubs)
        => string.Join("\n", hubs.SelectMany(h => h.Lines.Where(l => l.Contains("Rescued", StringComparison.Ordinal) || l.Contains("lost", StringComparison.Ordinal)).TakeLast(10).Select(l => h.NodeId + ": " + l)));
}

/// <summary>Fault tests run one at a time: each starts processes and loads the machine's two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
