using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub.Jobs;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Tests.Ordering;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>A ghost session lock: the run's <c>SET NX</c> reached redis-server and its append-only file, the reply did
/// not (redis-server SIGKILLed), so the run took the lock for not acquired while the key holds the run's own token for a
/// whole lease. The reply is really lost here: a proxy forwards the command and drops the reply, then redis-server is
/// SIGKILLed and restarted from its append-only file.</summary>
[TypicalDuration(12)]
public sealed class LostLockReplyTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private readonly RedisKeys _keys = new("ghostlock:");
    private ProxiedRedisServer _bed = null!;

    public async Task InitializeAsync() => _bed = await ProxiedRedisServer.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task LockWhoseSetReplyWasLost_IsHeldByTheNextAcquisitionOnItsNode_NotAfterTheLease()
    {
        var node = Provider(_bed.ViaProxy);
        var key = _keys.Lock("s");
        _bed.Proxy.DropReplies = true;
        var first = node.AcquireAsync("s", TimeSpan.FromSeconds(1), CancellationToken.None);
        await Eventually.UntilAsync(async () => await _bed.Server.Client.GetDatabase().KeyExistsAsync(key), TimeSpan.FromSeconds(10));
        _bed.Server.Kill(); // the SET is in the append-only file; its reply never reached the node
        _bed.Proxy.DropReplies = false;

        // Undecided is not "busy": the caller (AgentRunJob) retries the run instead of ending it as busy.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => first);
        Assert.True(TransientFailure.Is(error), error.ToString());

        await _bed.Server.RestartAsync();
        string? ghost = null;
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    ghost = await _bed.Server.Client.GetDatabase().StringGetAsync(key);
                    return true;
                }
                catch (RedisConnectionException)
                {
                    return false; // the test's connection is still reconnecting
                }
            },
            TimeSpan.FromSeconds(10));
        Assert.NotNull(ghost); // the ghost: held by nobody, for most of a minute
        Assert.True(await _bed.Server.Client.GetDatabase().KeyTimeToLiveAsync(key) > TimeSpan.FromSeconds(30));

        // The next run of the session on this node (Hangfire's retry) gets the lock now, not after the lease.
        var lease = await node.AcquireAsync("s", TimeSpan.FromSeconds(15), CancellationToken.None);
        Assert.NotNull(lease);
        Assert.Equal(ghost, lease.Token);
        Assert.True(lease.IsHeld);
        Assert.Null(await Provider(_bed.Server.Client).AcquireAsync("s", TimeSpan.Zero, CancellationToken.None)); // really held
        await lease.DisposeAsync();
        Assert.False(await _bed.Server.Client.GetDatabase().KeyExistsAsync(key));
        await using var next = await Provider(_bed.Server.Client).AcquireAsync("s", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task TokenInDoubt_NeverTakesALockAnotherRunHolds()
    {
        // A lost reply surfaces as a timeout: 1 s here, not StackExchange.Redis's default 5 s (the SET's and the release's).
        await using var viaProxy = await ConnectionMultiplexer.ConnectAsync(_bed.Proxy.ConnectionString + ",asyncTimeout=1000,syncTimeout=1000");
        var node = Provider(viaProxy);
        _bed.Proxy.DropReplies = true; // the SET lands, its reply (and the release's) times out
        var error = await Assert.ThrowsAnyAsync<Exception>(() => node.AcquireAsync("b", TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.True(TransientFailure.Is(error), error.ToString());
        _bed.Proxy.DropReplies = false;

        await _bed.Server.Client.GetDatabase().KeyDeleteAsync(_keys.Lock("b")); // the ghost's lease ended, say
        var other = await Provider(_bed.Server.Client).AcquireAsync("b", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(other);
        Assert.Null(await node.AcquireAsync("b", TimeSpan.FromMilliseconds(300), CancellationToken.None)); // busy, not ours
        Assert.Equal(other.Token, (string?)await _bed.Server.Client.GetDatabase().StringGetAsync(_keys.Lock("b")));
        Assert.True(other.IsHeld);
        await other.DisposeAsync();
    }

    private RedLockSessionLockProvider Provider(IConnectionMultiplexer redis)
        => new([redis], _keys, Lease, fenceInStore: true, TimeProvider.System, NullLogger<RedLockSessionLockProvider>.Instance);
}
