using OpenClaw.Channels.Tests;

namespace OpenClaw.Channels.Cron.Tests;

public class CronHistoryTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task History_IsOrderedByFireTime_NotByEndTime_AndCappedByFireTime()
    {
        var keys = new CronKeys(TestRedis.NewPrefix());
        var store = new RedisCronStore(redis.Multiplexer, keys, TimeProvider.System);

        // Recorded as they end: the 09:00 run took long and ended after the 09:02 one.
        await store.AddRunAsync(Run("r2", T0.AddMinutes(2)), 10, CancellationToken.None);
        await store.AddRunAsync(Run("r0", T0), 10, CancellationToken.None);
        await store.AddRunAsync(Run("r1", T0.AddMinutes(1)), 10, CancellationToken.None);

        // An entry of the list earlier versions wrote is still read, in its place.
        await redis.Multiplexer.GetDatabase().ListLeftPushAsync(keys.Runs("j"), CronJson.Serialize(Run("old", T0.AddMinutes(-1))));

        var runs = await store.GetRunsAsync("j", 50, CancellationToken.None);
        Assert.Equal(["r2", "r1", "r0", "old"], runs.Select(r => r.RunId));
        Assert.Equal(["r2", "r1"], (await store.GetRunsAsync("j", 2, CancellationToken.None)).Select(r => r.RunId));

        // The cap drops the oldest fire times.
        await store.AddRunAsync(Run("r3", T0.AddMinutes(3)), 3, CancellationToken.None);
        await redis.Multiplexer.GetDatabase().KeyDeleteAsync(keys.Runs("j"));
        Assert.Equal(["r3", "r2", "r1"], (await store.GetRunsAsync("j", 50, CancellationToken.None)).Select(r => r.RunId));
    }

    private static CronRun Run(string id, DateTimeOffset fire) => new()
    {
        RunId = id,
        JobId = "j",
        FireTimeUtc = fire,
        StartedUtc = fire,
        Status = CronRunStatus.Ok,
    };
}
