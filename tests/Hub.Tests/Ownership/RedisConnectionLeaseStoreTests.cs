using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub.Ownership;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>The lease script on real Redis: one holder at a time, fencing tokens strictly increasing, a stale holder's
/// renew and release refused, expiry measured by Redis.</summary>
public sealed class RedisConnectionLeaseStoreTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task OneHolderAtATime_TokensIncrease_StaleHolderRefused()
    {
        var store = new RedisConnectionLeaseStore(redis.Multiplexer, TestRedis.NewPrefix());
        var ttl = TimeSpan.FromSeconds(30);
        var a = await store.TryAcquireAsync("telegram:1:poll", "a", ttl, CancellationToken.None);
        Assert.Equal(new ConnectionLease("telegram:1:poll", "a", 1), a);
        Assert.Null(await store.TryAcquireAsync("telegram:1:poll", "b", ttl, CancellationToken.None));
        Assert.Equal(a, await store.TryAcquireAsync("telegram:1:poll", "a", ttl, CancellationToken.None)); // own lease: same token
        Assert.True(await store.RenewAsync(a!, ttl, CancellationToken.None));
        Assert.False(await store.RenewAsync(a! with { Owner = "b" }, ttl, CancellationToken.None));
        Assert.Equal(a, await store.GetAsync("telegram:1:poll", CancellationToken.None));

        await store.ReleaseAsync(a!, CancellationToken.None);
        Assert.Null(await store.GetAsync("telegram:1:poll", CancellationToken.None));
        var b = await store.TryAcquireAsync("telegram:1:poll", "b", ttl, CancellationToken.None);
        Assert.Equal(2, b!.FencingToken);

        // The former holder's renew and release do nothing to the new lease.
        Assert.False(await store.RenewAsync(a!, ttl, CancellationToken.None));
        await store.ReleaseAsync(a!, CancellationToken.None);
        Assert.Equal(b, await store.GetAsync("telegram:1:poll", CancellationToken.None));
    }

    [Fact]
    public async Task ExpiredLease_GoesToTheNextNode_WithALargerToken()
    {
        var store = new RedisConnectionLeaseStore(redis.Multiplexer, TestRedis.NewPrefix());
        var a = await store.TryAcquireAsync("discord:shard:0", "a", TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.NotNull(a);
        var b = await Eventually.ValueAsync(() => store.TryAcquireAsync("discord:shard:0", "b", TimeSpan.FromSeconds(30), CancellationToken.None), TimeSpan.FromSeconds(10), () => "lease did not expire");

        Assert.True(b.FencingToken > a.FencingToken);
        Assert.False(await store.RenewAsync(a, TimeSpan.FromSeconds(30), CancellationToken.None));
    }
}
