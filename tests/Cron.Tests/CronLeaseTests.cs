using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests;

namespace OpenClaw.Channels.Cron.Tests;

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
        var db = redis.Multiplexer.GetDatabase();

        // Extensions run on fake time (every third of the TTL) against the real Redis: each one resets the key's TTL.
        var time = new FakeTimeProvider();
        var store = new RedisCronStore(redis.Multiplexer, keys, time);
        var ttl = TimeSpan.FromSeconds(60);
        var held = await store.TryLeaseAsync("job", "a/run1", ttl, CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await store.TryLeaseAsync("job", "b/run2", ttl, CancellationToken.None));
        Assert.Equal("a/run1", await store.GetLeaseHolderAsync("job", CancellationToken.None));

        // Extended while it lives: still held after several TTLs (of fake time; Redis's clock is moved by shortening the key's TTL).
        for (var i = 1; i <= 6; i++)
        {
            Assert.True(await db.KeyExpireAsync(keys.Running("job"), TimeSpan.FromSeconds(5)));
            var extensions = i;
            await AdvanceUntilAsync(time, ttl / 3, () => held.Extensions >= extensions, TimeSpan.FromSeconds(10));
            Assert.InRange(await db.KeyTimeToLiveAsync(keys.Running("job")) ?? TimeSpan.Zero, TimeSpan.FromSeconds(30), ttl);
        }

        Assert.True(held.Extensions >= 6);
        Assert.Null(await store.TryLeaseAsync("job", "b/run2", ttl, CancellationToken.None));
        await held.DisposeAsync();
        var next = await store.TryLeaseAsync("job", "b/run3", ttl, CancellationToken.None);
        Assert.NotNull(next);

        // A holder that died (took the key, never extends it): Redis expires its lease within one TTL, and the next run
        // gets it then.
        var shortTtl = TimeSpan.FromMilliseconds(900);
        Assert.True(await db.LockTakeAsync(keys.Running("job2"), "c/dead", shortTtl));
        var left = await db.KeyTimeToLiveAsync(keys.Running("job2"));
        Assert.NotNull(left);
        Assert.InRange(left.Value, TimeSpan.FromTicks(1), shortTtl);
        var after = await Eventually.ValueAsync(
            () => store.TryLeaseAsync("job2", "d/run", shortTtl, CancellationToken.None),
            TimeSpan.FromSeconds(5),
            () => "the dead holder's lease ran out");

        Assert.Equal("d/run", await store.GetLeaseHolderAsync("job2", CancellationToken.None));
        await after.DisposeAsync();
        await next.DisposeAsync();
    }

    /// <summary>Advances fake time by <paramref name="step"/> and waits (real time, with a deadline) for the real Redis
    /// call it started, again while the condition does not hold.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> condition, TimeSpan timeout)
    {
        time.Advance(step);
        await Eventually.UntilAsync(
            () =>
            {
                if (condition())
                {
                    return true;
                }

                time.Advance(TimeSpan.FromMilliseconds(100));
                return false;
            },
            timeout,
            () => "the lease extended");
    }
}
