using OpenClaw.Channels.Hub.Limits;

namespace OpenClaw.Channels.Tests.Limits;

/// <summary>The GCRA script on real Redis: two limiters (two nodes) share one bucket; a 429 blocks it for both.</summary>
public sealed class RedisRateLimiterTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly RateLimit OnePerSecondBurst3 = new(1, TimeSpan.FromSeconds(1), 3);

    [Fact]
    public async Task TwoNodes_ShareOneBucket_AndA429BlocksItForBoth()
    {
        var prefix = TestRedis.NewPrefix();
        var a = new RedisRateLimiter(redis.Multiplexer, prefix);
        var b = new RedisRateLimiter(redis.Multiplexer, prefix);
        var waits = new List<TimeSpan>();
        var asked = new List<double>(); // ms since the first reservation: time a loaded machine spends between the calls
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            asked.Add(clock.Elapsed.TotalMilliseconds);
            waits.Add(await (i % 2 == 0 ? a : b).ReserveAsync("slack:channel:C1", OnePerSecondBurst3, CancellationToken.None));
        }

        // Slot 4 is due one interval after slot 1, slot 5 two: the wait is that less the time that passed since.
        Assert.All(waits.Take(3), w => Assert.True(w < TimeSpan.FromMilliseconds(100), $"burst slot waits {w}"));
        Assert.InRange(waits[3].TotalMilliseconds, 850 - asked[3], 1000);
        Assert.InRange(waits[4].TotalMilliseconds, 1850 - asked[4], 2000);

        clock.Restart();
        await a.BlockAsync("slack:channel:C2", OnePerSecondBurst3, TimeSpan.FromSeconds(5), CancellationToken.None);
        var blocked = clock.Elapsed.TotalMilliseconds;
        var afterBlock = await b.ReserveAsync("slack:channel:C2", OnePerSecondBurst3, CancellationToken.None);
        Assert.InRange(afterBlock.TotalMilliseconds, 4800 - blocked, 5000);
    }
}
