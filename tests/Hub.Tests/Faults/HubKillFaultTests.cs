using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Ordering;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>The run lifecycle when a hub dies or lags: a hub process SIGKILLed between the platform accepting an answer
/// and the pop, and a backlog longer than <c>Hub:StaleSessionMs</c>. Each asserts that every acknowledged message is
/// answered exactly once and in order per chat, and counts rescues.</summary>
[TypicalDuration(30)]
public sealed class HubKillFaultTests(ITestOutputHelper output) : FaultTestBed(output)
{
    [Fact]
    public async Task HubSigkilledBetweenTheSendAndThePop_TheNextRunPopsWithoutSendingAgain()
    {
        // Fault injection with Redis's own ACLs: once the platform has accepted answer number 30, the hubs lose the right
        // to run scripts (the pop is a script; the delivery record is a plain SET), so the sending hub records the
        // delivery and cannot pop. The test then SIGKILLs it; a second hub takes over the sessions.
        var admin = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString);
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "tester", "on", ">tester-pw", "~*", "&*", "+@all");
        await using var tester = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString + ",user=tester,password=tester-pw");
        var settings = Settings(3_000);
        await using var a = await HubProcess.StartAsync("fault-send-a", settings);
        var recorded = new TaskCompletionSource();
        var answers = 0;
        TelegramServer.BeforeSendMessageResponse = async sent =>
        {
            if (Interlocked.Increment(ref answers) == 30)
            {
                TelegramServer.FailNext("sendMessage", 502, "Bad Gateway", times: 100_000); // nothing else lands meanwhile
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

        var traffic = new ChatTraffic(TelegramServer, chats: 10, perChat: 10);
        ITestHub? b = null; // the takeover: in process (LoggedHubNode), it does not die
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
            TelegramServer.ClearFailures("sendMessage");
            TelegramServer.BeforeSendMessageResponse = null;
            b = await LoggedHubNode.StartAsync("fault-send-b", settings);
            await posting;
            await WaitAnsweredAsync(traffic, b);
            await WaitIdleAsync(b);

            var (lost, duplicated, reordered) = traffic.Check();
            var rescues = b.CountLines("Rescued stale session");
            Output.WriteLine($"{traffic.Total} messages, lost {lost}, duplicated {duplicated}, reordered {reordered}, rescues {rescues}");
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
        settings["Hub:StatisticsFlushMs"] = "500"; // the succeeded total below is added by this flush
        await using var hub = await LoggedHubNode.StartAsync("fault-backlog", settings); // in process: no hub dies here
        var traffic = new ChatTraffic(TelegramServer, chats: 120, perChat: 1);
        var started = DateTime.UtcNow;
        await traffic.PostAllAsync(_ => hub.Http);
        await WaitAnsweredAsync(traffic, hub);
        await WaitIdleAsync(hub);
        var backlog = DateTime.UtcNow - started;

        var (lost, duplicated, reordered) = traffic.Check();
        var rescues = hub.CountLines("Rescued stale session");
        foreach (var line in hub.Output.Where(l => l.Contains("Rescued", StringComparison.Ordinal)).Take(5))
        {
            Output.WriteLine(line);
        }

        var db = RedisServer.Client.GetDatabase();
        long succeeded = 0;
        await Eventually.UntilAsync( // the succeeded total is added by the hub's statistics flush, every 500 ms here
            async () => (succeeded = (long)await db.StringGetAsync("faults:hangfire:stats:succeeded")) >= traffic.Total,
            because: () => $"stats:succeeded is {succeeded} of {traffic.Total}");
        Output.WriteLine($"{traffic.Total} messages in {backlog.TotalSeconds:F1} s, lost {lost}, duplicated {duplicated}, reordered {reordered}, rescues {rescues}, succeeded jobs {succeeded}");
        Assert.True(backlog > TimeSpan.FromSeconds(3), $"the backlog ({backlog}) should outlast Hub:StaleSessionMs several times");
        Assert.Equal((0, 0, 0), (lost, duplicated, reordered));
        Assert.Equal(0, rescues);
        Assert.Equal(traffic.Total, succeeded); // one job per session, no extra jobs
    }
}
