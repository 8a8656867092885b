using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

/// <summary>Lease timing of <see cref="ConnectionOwnership"/> on a fake clock: a holder gives a connection up before the
/// store can hand it to another node; a renewed lease is kept; a released one moves at once with a larger fencing token.</summary>
public sealed class ConnectionOwnershipTests
{
    private static readonly ConnectionOwnershipOptions Options = new() { NodeId = "a", Ttl = TimeSpan.FromSeconds(10), RenewInterval = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task RenewalsFailing_LostFiresAtTtlMinusMargin_BeforeAnotherNodeCanAcquire()
    {
        var time = new CountingTimeProvider();
        var store = new ScriptedStore(time) { FailRenewals = true };
        var a = new ConnectionOwnership(store, Options, time);
        var b = new ConnectionOwnership(store, new ConnectionOwnershipOptions { NodeId = "b", Ttl = Options.Ttl, RenewInterval = Options.RenewInterval }, time);

        await using var owned = await a.TryAcquireAsync("telegram:1:poll", CancellationToken.None);
        Assert.NotNull(owned);
        Assert.Equal(1, owned.Lease.FencingToken);

        time.Advance(TimeSpan.FromMilliseconds(7_999));
        Assert.False(owned.Lost.IsCancellationRequested);
        Assert.Equal(["telegram:1:poll"], a.Held.Select(l => l.Resource));

        time.Advance(TimeSpan.FromMilliseconds(1)); // 8 s = TTL 10 s minus the default margin (a fifth)
        Assert.True(owned.Lost.IsCancellationRequested);
        Assert.Empty(a.Held);
        Assert.Null(await b.TryAcquireAsync("telegram:1:poll", CancellationToken.None)); // the store still holds it for a

        time.Advance(TimeSpan.FromSeconds(2));
        await using var taken = await b.TryAcquireAsync("telegram:1:poll", CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Equal(2, taken.Lease.FencingToken);
    }

    [Fact]
    public async Task RenewedLease_IsKeptPastItsTtl_AndDisposeHandsItOverAtOnce()
    {
        var time = new CountingTimeProvider();
        var store = new ScriptedStore(time);
        var a = new ConnectionOwnership(store, Options, time);
        var b = new ConnectionOwnership(store, new ConnectionOwnershipOptions { NodeId = "b", Ttl = Options.Ttl, RenewInterval = Options.RenewInterval }, time);

        var owned = await a.TryAcquireAsync("discord:shard:0", CancellationToken.None);
        Assert.NotNull(owned);
        var timers = time.TimersCreated;
        for (var k = 1; k <= 15; k++)
        {
            time.Advance(Options.RenewInterval);
            await Eventually.UntilAsync(() => time.TimersCreated >= timers + k, because: () => $"renewal {k} done and the next tick armed"); // the loop renewed and waits for the next tick
        }

        Assert.Equal(15, store.RenewCalls);
        Assert.False(owned.Lost.IsCancellationRequested);
        Assert.Null(await b.TryAcquireAsync("discord:shard:0", CancellationToken.None));

        await owned.DisposeAsync();
        Assert.True(owned.Lost.IsCancellationRequested);
        await using var taken = await b.TryAcquireAsync("discord:shard:0", CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Equal(2, taken.Lease.FencingToken);
    }

    [Fact]
    public async Task RenewalRefused_LostAtOnce()
    {
        var time = new CountingTimeProvider();
        var store = new ScriptedStore(time) { RefuseRenewals = true };
        var a = new ConnectionOwnership(store, Options, time);
        await using var owned = await a.TryAcquireAsync("slack:A1:socket:0", CancellationToken.None);
        Assert.NotNull(owned);

        time.Advance(Options.RenewInterval);
        await Eventually.UntilAsync(() => owned.Lost.IsCancellationRequested, because: () => "the lease reported lost");
        Assert.Equal(1, store.RenewCalls);
        Assert.Empty(a.Held);
    }

    [Fact]
    public void RenewIntervalNotBelowTtlMinusMargin_Throws()
        => Assert.Throws<ArgumentException>(() => new ConnectionOwnership(
            new LocalConnectionLeaseStore(), new ConnectionOwnershipOptions { Ttl = TimeSpan.FromSeconds(10), RenewInterval = TimeSpan.FromSeconds(8) }));

    /// <summary>Counts timers, so a test knows when a background loop has armed its next delay.</summary>
    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }

    private sealed class ScriptedStore(TimeProvider time) : IConnectionLeaseStore
    {
        private readonly LocalConnectionLeaseStore _inner = new(time);
        private int _renewCalls;

        public bool FailRenewals { get; init; }

        public bool RefuseRenewals { get; init; }

        public int RenewCalls => Volatile.Read(ref _renewCalls);

        public Task<ConnectionLease?> TryAcquireAsync(string resource, string owner, TimeSpan ttl, CancellationToken cancellationToken)
            => _inner.TryAcquireAsync(resource, owner, ttl, cancellationToken);

        public Task<bool> RenewAsync(ConnectionLease lease, TimeSpan ttl, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _renewCalls);
            return FailRenewals ? Task.FromException<bool>(new IOException("store unreachable"))
                : RefuseRenewals ? Task.FromResult(false)
                : _inner.RenewAsync(lease, ttl, cancellationToken);
        }

        public Task ReleaseAsync(ConnectionLease lease, CancellationToken cancellationToken) => _inner.ReleaseAsync(lease, cancellationToken);

        public Task<ConnectionLease?> GetAsync(string resource, CancellationToken cancellationToken) => _inner.GetAsync(resource, cancellationToken);
    }
}
