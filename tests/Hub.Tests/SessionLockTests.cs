using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Stores;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;

namespace OpenClaw.Channels.Tests;

/// <summary>RedLock session locks against real Redis and against the embedded Garnet server.</summary>
public class SessionLockTests(TestRedis redis, TestGarnet garnet) : IClassFixture<TestRedis>, IClassFixture<TestGarnet>
{
    public static TheoryData<string> Kinds => new() { "redis", "garnet" };

    private ISessionLockProvider Create(string kind) => new RedLockSessionLockProvider(
        RedLockFactory.Create([new RedLockMultiplexer(kind == "redis" ? redis.Multiplexer : garnet.Multiplexer)]),
        new RedisKeys(TestRedis.NewPrefix()),
        TimeSpan.FromSeconds(2));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SecondHolder_WaitsUntilTheFirstReleases(string kind)
    {
        var locks = Create(kind);
        var first = await locks.AcquireAsync("s", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await locks.AcquireAsync("s", TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.NotNull(await locks.AcquireAsync("other", TimeSpan.Zero, CancellationToken.None));

        var waiting = locks.AcquireAsync("s", TimeSpan.FromSeconds(5), CancellationToken.None);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        await first.DisposeAsync();
        var second = await waiting;
        Assert.NotNull(second);
        await second.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RedLock_IsExtended_ForRunsLongerThanTheLease(string kind)
    {
        var locks = Create(kind);
        await using var held = await locks.AcquireAsync("long", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);
        await Task.Delay(TimeSpan.FromSeconds(3)); // longer than the 2 s lease
        Assert.Null(await locks.AcquireAsync("long", TimeSpan.Zero, CancellationToken.None));
    }
}
