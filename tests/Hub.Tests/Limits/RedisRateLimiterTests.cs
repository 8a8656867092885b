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
        for (var i = 0; i < 5; i++)
        {
            waits.Add(await (i % 2 == 0 ? a : b).ReserveAsync("slack:channel:C1", OnePerSecondBurst3, CancellationToken.None));
        }

        Assert.All(waits.Take(3), w => Assert.True(w < TimeSpan.FromMilliseconds(100), $"burst slot waits {w}"));
        Assert.InRange(waits[3].TotalMilliseconds, 850, 1000);
        Assert.InRange(waits[4].TotalMilliseconds, 1850, 2000);

        await a.BlockAsync("slack:channel:C2", OnePerSecondBurst3, TimeSpan.FromSeconds(5), CancellationToken.None);
        var afterBlock = await b.ReserveAsync("slack:channel:C2", OnePerSecondBurst3, CancellationToken.None);
        Assert.InRange(afterBlock.TotalMilliseconds, 4800, 5000);
    }
}
