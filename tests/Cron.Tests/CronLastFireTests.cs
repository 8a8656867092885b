using OpenClaw.Channels.Tests;

namespace OpenClaw.Channels.Cron.Tests;

/// <summary>The last fire of a job as the store keeps it: none before the first fire (not the Unix epoch), then only
/// ever moving forward.</summary>
public class CronLastFireTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task LastFire_IsNullBeforeTheFirstFire_ThenTheLatestFireTime()
    {
        var keys = new CronKeys(TestRedis.NewPrefix());
        var store = new RedisCronStore(redis.Multiplexer, keys, TimeProvider.System);

        Assert.Null(await store.GetLastFireAsync("daily", CancellationToken.None));

        var first = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        await store.SetLastFireAsync("daily", first, CancellationToken.None);
        await store.SetLastFireAsync("daily", first.AddDays(-1), CancellationToken.None);
        Assert.Equal(first, await store.GetLastFireAsync("daily", CancellationToken.None));
        Assert.Null(await store.GetLastFireAsync("other", CancellationToken.None));
    }
}
