using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Locks;

/// <summary>The Redlock algorithm (redis.io/docs/latest/develop/use/patterns/distributed-locks) over one or more
/// independent Redis endpoints: <c>SET key token NX PX lease</c> on every endpoint, held when a majority said yes
/// within the lease minus clock drift. The lease is extended every third of <see cref="HubOptions.LockLeaseMs"/> by a
/// compare-and-<c>PEXPIRE</c> script; one failed extension ends the lease for good (<see cref="ISessionLease.IsHeld"/>
/// turns false and <see cref="ISessionLease.Lost"/> fires), so a run never acts on a lock another node may hold.</summary>
/// <remarks>RedLock.net keeps extending on its own timer but does not expose when the last extension succeeded nor its
/// validity, which a run needs to fence its sends and pops; hence this small implementation of the same algorithm.
/// With a single endpoint that is the session store itself, <see cref="ISessionLease.FenceKey"/> is the lock key so
/// store scripts check the token in the same atomic step, and the run's last pop may delete the lock in that step too
/// (<see cref="IStoreReleasableLease"/>): acquiring is one <c>SET NX PX</c>, extending happens only on the timer, and a
/// run that drains its session releases with its pop instead of a separate round trip.</remarks>
internal sealed partial class RedLockSessionLockProvider : ISessionLockProvider
{
    private const double ClockDriftFactor = 0.01;
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(50);

    // KEYS: lock. ARGV: token, lease ms. 1 extended, 0 not ours.
    private const string ExtendScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    // KEYS: lock. ARGV: token.
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly IReadOnlyList<IConnectionMultiplexer> _endpoints;
    private readonly Stores.RedisKeys _keys;
    private readonly TimeSpan _lease;
    private readonly bool _fenceInStore;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the provider.</summary>
    /// <param name="endpoints">Independent Redis servers; a majority must agree.</param>
    /// <param name="keys">Key layout (the lock key of a session).</param>
    /// <param name="lease">Lease per acquisition or extension.</param>
    /// <param name="fenceInStore">True when <paramref name="endpoints"/> is the session store's own server alone.</param>
    /// <param name="time">Clock for validity and the extension timer.</param>
    /// <param name="logger">Logger.</param>
    public RedLockSessionLockProvider(IReadOnlyList<IConnectionMultiplexer> endpoints, Stores.RedisKeys keys, TimeSpan lease, bool fenceInStore, TimeProvider time, ILogger<RedLockSessionLockProvider> logger)
    {
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        _endpoints = endpoints;
        _keys = keys;
        _lease = lease;
        _fenceInStore = fenceInStore && endpoints.Count == 1;
        _time = time;
        _logger = logger;
    }

    private int Quorum => (_endpoints.Count / 2) + 1;

    private TimeSpan Drift => (_lease * ClockDriftFactor) + TimeSpan.FromMilliseconds(2);

    public async Task<ISessionLease?> AcquireAsync(string sessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        var key = _keys.Lock(sessionKey);
        var token = Guid.NewGuid().ToString("N");
        var deadline = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var started = _time.GetTimestamp();
            var results = await Task.WhenAll(_endpoints.Select(e => TryAsync(() => e.GetDatabase().StringSetAsync(key, token, _lease, When.NotExists)))).ConfigureAwait(false);
            var validity = _lease - _time.GetElapsedTime(started) - Drift;
            if (results.Count(r => r) >= Quorum && validity > TimeSpan.Zero)
            {
                return new Lease(this, key, token, started);
            }

            await ReleaseAsync(key, token).ConfigureAwait(false);
            if (_time.GetTimestamp() >= deadline)
            {
                return null;
            }

            await Task.Delay(RetryEvery, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> ExtendAsync(RedisKey key, string token)
    {
        var results = await Task.WhenAll(_endpoints.Select(e => TryAsync(async () =>
            (long)await e.GetDatabase().ScriptEvaluateAsync(ExtendScript, [key], [token, (long)_lease.TotalMilliseconds]).ConfigureAwait(false) == 1))).ConfigureAwait(false);
        return results.Count(r => r) >= Quorum;
    }

    private Task ReleaseAsync(RedisKey key, string token)
        => Task.WhenAll(_endpoints.Select(e => TryAsync(async () =>
        {
            await e.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [key], [token]).ConfigureAwait(false);
            return true;
        })));

    private static async Task<bool> TryAsync(Func<Task<bool>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session lock {Key} lost: its extension failed; the run stops acting on the session")]
    private static partial void LogLost(ILogger logger, string key);

    private sealed class Lease : ISessionLease, IStoreReleasableLease
    {
        private readonly RedLockSessionLockProvider _owner;
        private readonly RedisKey _key;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _extender;
        private long _validUntil;
        private int _released;
        private volatile bool _releasedByStore;

        public Lease(RedLockSessionLockProvider owner, RedisKey key, string token, long acquiredAt)
        {
            _owner = owner;
            _key = key;
            Token = token;
            FenceKey = owner._fenceInStore ? key.ToString() : null;
            _validUntil = acquiredAt + Ticks(owner._lease - owner.Drift);
            _extender = ExtendLoopAsync();
        }

        public string Token { get; }

        public string? FenceKey { get; }

        /// <summary>Held with at least a tenth of the lease left: enough for the next send or pop to land inside it; never
        /// again once the store released the lock with the run's last pop.</summary>
        public bool IsHeld => !_releasedByStore && !_lost.IsCancellationRequested && _owner._time.GetTimestamp() + Ticks(_owner._lease / 10) < Volatile.Read(ref _validUntil);

        public CancellationToken Lost => _lost.Token;

        public void ReleasedByStore()
        {
            _releasedByStore = true;
            _stop.Cancel();
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            await _extender.ConfigureAwait(false);
            await _lost.CancelAsync().ConfigureAwait(false);
            if (!_releasedByStore)
            {
                await _owner.ReleaseAsync(_key, Token).ConfigureAwait(false);
            }

            _stop.Dispose();
            _lost.Dispose();
        }

        private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _owner._time.TimestampFrequency);

        private async Task ExtendLoopAsync()
        {
            var every = _owner._lease / 3;
            try
            {
                while (true)
                {
                    await Task.Delay(every, _owner._time, _stop.Token).ConfigureAwait(false);
                    var started = _owner._time.GetTimestamp();
                    if (!await _owner.ExtendAsync(_key, Token).ConfigureAwait(false) || _owner._time.GetTimestamp() >= Volatile.Read(ref _validUntil))
                    {
                        if (_releasedByStore)
                        {
                            return;
                        }

                        LogLost(_owner._logger, _key.ToString());
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    Volatile.Write(ref _validUntil, started + Ticks(_owner._lease - _owner.Drift));
                }
            }
            catch (OperationCanceledException)
            {
                // released
            }
        }
    }
}
