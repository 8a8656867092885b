using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Hub.Cron;

namespace OpenClaw.Channels.Tests.Cron;

public class CronLeaseTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(9);

    [Fact]
    public async Task Lease_IsExtendedEveryThirdOfItsTtl_WhileItLives_AndReleasedOnDispose()
    {
        var time = new FakeTimeProvider();
        var extended = 0;
        var released = 0;
        var lease = new CronLease(Ttl, _ => { extended++; return Task.FromResult(true); }, () => { released++; return Task.CompletedTask; }, time);

        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(0, extended);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, extended);
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(3));
        }

        Assert.Equal(11, extended);
        Assert.False(lease.Lost.IsCancellationRequested);

        await lease.DisposeAsync();
        Assert.Equal(1, released);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(11, extended);
    }

    [Fact]
    public async Task LeaseTakenBySomeoneElse_IsLostAtTheNextExtension()
    {
        var time = new FakeTimeProvider();
        await using var lease = new CronLease(Ttl, _ => Task.FromResult(false), () => Task.CompletedTask, time);

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(lease.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task StoreUnreachable_LeaseIsKeptUntilItsTtlRunsOut_ThenLost()
    {
        var time = new FakeTimeProvider();
        var reachable = false;
        var attempts = 0;
        await using var lease = new CronLease(
            Ttl,
            _ =>
            {
                attempts++;
                return reachable ? Task.FromResult(true) : Task.FromException<bool>(new TimeoutException("down"));
            },
            () => Task.CompletedTask,
            time);

        // A blip shorter than the TTL: the lease stays ours and is extended once the store answers.
        time.Advance(TimeSpan.FromSeconds(3));
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(lease.Lost.IsCancellationRequested);
        reachable = true;
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(3, attempts);
        Assert.False(lease.Lost.IsCancellationRequested);

        // Down for longer than the TTL since the last good extension: another node may hold it now, so it is lost.
        reachable = false;
        for (var i = 0; i < 100 && !lease.Lost.IsCancellationRequested; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(lease.Lost.IsCancellationRequested);
        Assert.InRange(time.GetUtcNow() - time.Start, TimeSpan.FromSeconds(9 + 9), TimeSpan.FromSeconds(9 + 9 + 1));
    }

    [Fact]
    public async Task RedisLease_ExpiresWithinItsTtl_WhenItsHolderStopsExtending_AndIsKeptWhileExtended()
    {
        var prefix = TestRedis.NewPrefix();
        var keys = new CronKeys(prefix);
        var store = new RedisCronStore(redis.Multiplexer, keys, TimeProvider.System);
        var ttl = TimeSpan.FromMilliseconds(900);

        var held = await store.TryLeaseAsync("job", "a/run1", ttl, CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await store.TryLeaseAsync("job", "b/run2", ttl, CancellationToken.None));
        Assert.Equal("a/run1", await store.GetLeaseHolderAsync("job", CancellationToken.None));

        // Extended while it lives: still held after several TTLs.
        await WaitUntilAsync(() => held.Extensions >= 6, TimeSpan.FromSeconds(10));
        Assert.Null(await store.TryLeaseAsync("job", "b/run2", ttl, CancellationToken.None));
        await held.DisposeAsync();
        var next = await store.TryLeaseAsync("job", "b/run3", ttl, CancellationToken.None);
        Assert.NotNull(next);

        // A holder that died (took the key, never extends it): the next run gets the lease within one TTL.
        Assert.True(await redis.Multiplexer.GetDatabase().LockTakeAsync(keys.Running("job2"), "c/dead", ttl));
        var taken = DateTime.UtcNow;
        CronLease? after = null;
        while (after is null)
        {
            Assert.True(DateTime.UtcNow - taken < TimeSpan.FromSeconds(5), "the dead holder's lease never ran out");
            after = await store.TryLeaseAsync("job2", "d/run", ttl, CancellationToken.None);
            await Task.Delay(after is null ? 25 : 0);
        }

        Assert.True(DateTime.UtcNow - taken <= ttl + TimeSpan.FromMilliseconds(300), $"took {(DateTime.UtcNow - taken).TotalMilliseconds} ms");
        await after.DisposeAsync();
        await next.DisposeAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout}");
            await Task.Delay(25);
        }
    }
}
