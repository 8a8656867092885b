using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>The run lifecycle when the store dies: a redis-server of the test's own (append-only file, fsync always)
/// SIGKILLed mid-traffic and restarted from its AOF. Asserts that every acknowledged message is answered exactly once
/// and in order per chat, and counts rescues. The hubs run in the test process (<see cref="LoggedHubNode"/>: the fault
/// is the store's death, not theirs). The hub-kill and backlog cases are <see cref="HubKillFaultTests"/>.</summary>
[TypicalDuration(50)]
public sealed class FaultTests(ITestOutputHelper output) : FaultTestBed(output)
{
    [Theory]
    [InlineData(30_000)]
    [InlineData(10_000)]
    public async Task RedisSigkilledMidTraffic_AndRestartedFromItsAof_LosesDuplicatesAndReordersNothing(int leaseMs)
    {
        await using var a = await LoggedHubNode.StartAsync("fault-a", Settings(leaseMs));
        await using var b = await LoggedHubNode.StartAsync("fault-b", Settings(leaseMs));
        var traffic = new ChatTraffic(TelegramServer, chats: 20, perChat: 6);
        var outage = Task.CompletedTask;
        await traffic.PostAllAsync(
            attempt => (attempt % 2 == 0 ? a : b).Http,
            acked =>
            {
                if (acked == 40)
                {
                    // Turns are in flight (100 ms model, 40 messages queued): the store vanishes for 6 s.
                    RedisServer.Kill();
                    outage = Task.Run(async () =>
                    {
                        await Task.Delay(TimeSpan.FromSeconds(6));
                        await RedisServer.RestartAsync();
                    });
                }

                return Task.CompletedTask;
            });
        await outage;
        await WaitAnsweredAsync(traffic, a, b);
        await WaitIdleAsync(a, b);

        var (lost, duplicated, reordered) = traffic.Check();
        var rescues = a.CountLines("Rescued stale session") + b.CountLines("Rescued stale session");
        Output.WriteLine($"lease {leaseMs} ms: {traffic.Total} messages, lost {lost}, duplicated {duplicated}, reordered {reordered}, rescues {rescues}");
        Assert.True(traffic.Total >= 100);
        Assert.Equal((0, 0, 0), (lost, duplicated, reordered));
        Assert.InRange(rescues, 0, 20); // at most one per session: runs whose job never got created while Redis was down
    }
}
