using RedLockNet;
using RedLockNet.SERedis;

namespace OpenClaw.Channels.Hub.Locks;

/// <summary>RedLock.net over one or more independent Redis endpoints. The lease (<see cref="HubOptions.LockLeaseMs"/>)
/// is extended by RedLock.net's timer while the handle lives, so a long run keeps its lock and a crashed node's lock
/// expires.</summary>
internal sealed class RedLockSessionLockProvider(IDistributedLockFactory factory, Stores.RedisKeys keys, TimeSpan lease) : ISessionLockProvider
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(50);

    public async Task<IAsyncDisposable?> AcquireAsync(string sessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        var redLock = wait > TimeSpan.Zero
            ? await factory.CreateLockAsync(keys.Lock(sessionKey).ToString(), lease, wait, RetryEvery, cancellationToken).ConfigureAwait(false)
            : await factory.CreateLockAsync(keys.Lock(sessionKey).ToString(), lease).ConfigureAwait(false);
        if (redLock.IsAcquired)
        {
            return new Handle(redLock);
        }

        await redLock.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private sealed class Handle(IRedLock redLock) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => redLock.DisposeAsync();
    }
}
