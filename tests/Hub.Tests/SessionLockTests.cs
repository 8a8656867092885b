using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Tests;

/// <summary>RedLock session locks against real Redis and against the embedded Garnet server.</summary>
public class SessionLockTests(TestRedis redis, TestGarnet garnet) : IClassFixture<TestRedis>, IClassFixture<TestGarnet>
{
    public static TheoryData<string> Kinds => new() { "redis", "garnet" };

    private readonly RedisKeys _keys = new(TestRedis.NewPrefix());

    private ISessionLockProvider Create(string kind) => new RedLockSessionLockProvider(
        [kind == "redis" ? redis.Multiplexer : garnet.Multiplexer], _keys, TimeSpan.FromSeconds(2), fenceInStore: true, TimeProvider.System, NullLogger<RedLockSessionLockProvider>.Instance);

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
        Assert.True(held.IsHeld);
        Assert.False(held.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task RedLock_LeaseIsLostForGood_WhenAnExtensionFails_AndAFencedPopIsRefused()
    {
        var locks = Create("redis");
        var store = new RedisSessionStore(redis.Multiplexer, _keys, TimeProvider.System);
        var message = new ChannelMessage { Channel = "telegram", AccountId = "1", PlatformMessageId = "f", Chat = new ChatRef("5", ChatKind.Direct), Sender = new SenderRef("5", "Ann") };
        await store.AppendIfNewAsync("f", TimeSpan.FromMinutes(1), "fenced", message, CancellationToken.None);
        var held = await locks.AcquireAsync("fenced", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);
        Assert.Equal(_keys.Lock("fenced").ToString(), held.FenceKey);

        // Another party took the lock (its lease expired while this node was paused, say).
        await redis.Multiplexer.GetDatabase().StringSetAsync(_keys.Lock("fenced"), "someone-else");
        Assert.Equal(PopOutcome.LeaseLost, await store.PopAsync("fenced", message.Id, held, CancellationToken.None));

        var lost = new TaskCompletionSource();
        held.Lost.Register(() => lost.TrySetResult());
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(5)); // the next extension (every 2/3 s) fails
        Assert.False(held.IsHeld);
        Assert.Equal(1, await store.CountAsync("fenced", CancellationToken.None));
        await held.DisposeAsync();
        Assert.Equal("someone-else", (string?)await redis.Multiplexer.GetDatabase().StringGetAsync(_keys.Lock("fenced"))); // release leaves others' locks alone
    }
}
