using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
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

    // KEYS: lock. ARGV: token, lease ms. 1 held (set now, or it already held this token: a SET whose reply was lost), 0 not.
    private const string AcquireOrMineScript = "local v = redis.call('GET', KEYS[1]) if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end return 0";

    /// <summary>In-doubt tokens kept before stale ones (older than a lease, so their key has expired) are pruned.</summary>
    private const int MaxInDoubt = 1_000;

    // KEYS: lock. ARGV: token.
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly IReadOnlyList<IConnectionMultiplexer> _endpoints;
    private readonly Stores.RedisKeys _keys;
    private readonly TimeSpan _lease;
    private readonly bool _fenceInStore;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Lock key -> the token of a given-up acquisition on this node whose SET may have landed, and when it was written.
    private readonly ConcurrentDictionary<string, (string Token, long At)> _inDoubt = new();

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

    /// <inheritdoc />
    /// <remarks>An acquisition whose <c>SET NX</c> may have landed without its reply (the connection broke or timed out)
    /// keeps its token in doubt: later attempts, and the next acquisition of the same key on this node once this one has
    /// given up, take "the key already holds my token" as held (<see cref="AcquireOrMineScript"/>), so a lost reply does
    /// not leave a ghost lock that delays the session by a lease.</remarks>
    /// <exception cref="RedisException">Or <see cref="TimeoutException"/>: the wait ended while too many endpoints did not
    /// answer to decide (neither a quorum held nor a quorum refused); the caller retries later, it is not "busy".</exception>
    public async Task<ISessionLease?> AcquireAsync(string sessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        var key = _keys.Lock(sessionKey);
        var inDoubt = TakeInDoubt(key);
        var token = inDoubt ?? Guid.NewGuid().ToString("N");
        var maybeWritten = inDoubt is not null;
        var deadline = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        var acquired = false;
        try
        {
            while (true)
            {
                var started = _time.GetTimestamp();
                var mine = maybeWritten;
                var results = await Task.WhenAll(_endpoints.Select(e => TrySetAsync(e.GetDatabase(), key, token, mine))).ConfigureAwait(false);
                var error = results.Select(r => r.Error).FirstOrDefault(e => e is not null);
                maybeWritten |= error is not null;
                var validity = _lease - _time.GetElapsedTime(started) - Drift;
                if (results.Count(r => r.Held) >= Quorum && validity > TimeSpan.Zero)
                {
                    acquired = true;
                    return new Lease(this, key, token, started);
                }

                await ReleaseAsync(key, token).ConfigureAwait(false);
                if (_time.GetTimestamp() >= deadline)
                {
                    if (error is not null && results.Count(r => r.Error is null && !r.Held) < Quorum)
                    {
                        ExceptionDispatchInfo.Throw(error); // undecided: the lock servers did not answer
                    }

                    return null;
                }

                await Task.Delay(RetryEvery, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (maybeWritten && !acquired)
            {
                // A SET of this given-up acquisition may hold the key until its lease ends: the next acquisition here takes it.
                RememberInDoubt(key, token);
            }
        }
    }

    private async Task<SetResult> TrySetAsync(IDatabase db, RedisKey key, string token, bool mine)
    {
        try
        {
            var held = mine
                ? (long)await db.ScriptEvaluateAsync(AcquireOrMineScript, [key], [token, (long)_lease.TotalMilliseconds]).ConfigureAwait(false) == 1
                : await db.StringSetAsync(key, token, _lease, When.NotExists).ConfigureAwait(false);
            return new SetResult(held, null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new SetResult(false, ex);
        }
    }

    private string? TakeInDoubt(RedisKey key)
        => _inDoubt.TryRemove(key.ToString(), out var entry) && _time.GetElapsedTime(entry.At) < _lease ? entry.Token : null;

    private void RememberInDoubt(RedisKey key, string token)
    {
        if (_inDoubt.Count >= MaxInDoubt)
        {
            foreach (var stale in _inDoubt.Where(e => _time.GetElapsedTime(e.Value.At) >= _lease).ToList())
            {
                _inDoubt.TryRemove(stale);
            }
        }

        _inDoubt[key.ToString()] = (token, _time.GetTimestamp());
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

    private readonly record struct SetResult(bool Held, Exception? Error);

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
