using Microsoft.Extensions.Time.Testing;

namespace OpenClaw.Channels.Tests;

/// <summary>GCRA buckets on a fake clock: a full bucket lets the burst through, then one slot per emission interval; a
/// 429 blocks the bucket for its Retry-After.</summary>
public sealed class LocalRateLimiterTests
{
    private static readonly RateLimit SlackChannel = new(1, TimeSpan.FromSeconds(1), 3);

    [Fact]
    public async Task FullBucket_BurstThenOnePerInterval()
    {
        var time = new FakeTimeProvider();
        var limiter = new LocalRateLimiter(time);
        var waits = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            waits.Add((await limiter.ReserveAsync("slack:channel:C1", SlackChannel, CancellationToken.None)).TotalMilliseconds);
        }

        Assert.Equal([0, 0, 0, 1000, 2000, 3000], waits);
        Assert.Equal(TimeSpan.Zero, await limiter.ReserveAsync("slack:channel:C2", SlackChannel, CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(10)); // the bucket refills, up to the burst
        Assert.Equal(TimeSpan.Zero, await limiter.ReserveAsync("slack:channel:C1", SlackChannel, CancellationToken.None));
    }

    [Fact]
    public async Task Block_NoSlotBeforeRetryAfter()
    {
        var time = new FakeTimeProvider();
        var limiter = new LocalRateLimiter(time);
        await limiter.BlockAsync("telegram:bot:1", SlackChannel, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(5), await limiter.ReserveAsync("telegram:bot:1", SlackChannel, CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(6), await limiter.ReserveAsync("telegram:bot:1", SlackChannel, CancellationToken.None));
    }

    [Fact]
    public void PerMinuteLimit_EmissionIntervalAndTolerance()
    {
        var group = new RateLimit(20, TimeSpan.FromMinutes(1), 3);
        Assert.Equal(TimeSpan.FromSeconds(3), group.EmissionInterval);
        Assert.Equal(TimeSpan.FromSeconds(6), group.Tolerance);
    }
}
