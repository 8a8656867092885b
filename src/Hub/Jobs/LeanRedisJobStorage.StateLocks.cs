using Hangfire.Storage;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>The per-job state locks of <see cref="LeanRedisJobStorage"/>: <c>SET NX EX</c>, released by a plain
/// <c>DEL</c> within half of <see cref="StateLockHold"/>, by the compare-and-delete script after it, or by the state
/// change's own script (<see cref="ReleasableStateLock"/>).</summary>
internal sealed partial class LeanRedisJobStorage
{
    private IDisposable AcquireStateLock(string resource, TimeSpan timeout)
    {
        var key = _prefix + resource;
        var thread = Environment.CurrentManagedThreadId;
        if (_heldStateLocks.TryGetValue(key, out var holder) && holder.Thread == thread)
        {
            return new StateLock(null, key, string.Empty, 0, thread);
        }

        var token = Guid.NewGuid().ToString("N");
        var deadline = DateTime.UtcNow + timeout;
        for (var delayMs = 5; ; delayMs = Math.Min(100, delayMs * 2))
        {
            var sent = _time.GetTimestamp(); // before the SET leaves: the key's TTL starts later than this
            if (Db.StringSet(key, token, StateLockHold, When.NotExists))
            {
                var held = new StateLock(this, key, token, sent, thread);
                _heldStateLocks[key] = held;
                return held;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new DistributedLockTimeoutException(resource);
            }

            Thread.Sleep(delayMs);
        }
    }

    /// <summary>The state lock of <paramref name="jobId"/> the calling thread holds, when a script sent now may delete it
    /// with a plain <c>DEL</c> (less than half of <see cref="StateLockHold"/> has passed since it was taken); else null.
    /// Hangfire's state changer commits the state's transaction as the last step under the lock, so the script that
    /// writes the state can release it (<see cref="StateLock.ReleasedByCommit"/>).</summary>
    internal StateLock? ReleasableStateLock(string jobId)
    {
        var key = _prefix + "job:" + jobId + StateLockSuffix;
        return _heldStateLocks.TryGetValue(key, out var held) && held.Thread == Environment.CurrentManagedThreadId
            && _time.GetElapsedTime(held.AcquiredAt) < StateLockHold / 2
            ? held
            : null;
    }

    private void ReleaseStateLock(StateLock held, string token, bool compare)
    {
        var key = held.Key;
        _heldStateLocks.TryRemove(new KeyValuePair<string, StateLock>(key, held));
        if (!compare && _time.GetElapsedTime(held.AcquiredAt) < StateLockHold / 2)
        {
            Db.KeyDelete(key); // still ours: it cannot have expired yet
            return;
        }

        Db.ScriptEvaluate(ReleaseScript, [key], [token]);
    }

    /// <summary>A job's state lock (<c>SET NX EX</c>), released on dispose unless the script of the state change made under
    /// it already deleted it (<see cref="ReleasedByCommit"/>). A reentrant acquisition (no <paramref name="storage"/>)
    /// releases nothing.</summary>
    internal sealed class StateLock(LeanRedisJobStorage? storage, string key, string token, long acquiredAt, int thread) : IDisposable
    {
        private int _disposed;
        private volatile bool _mayBeGone;

        /// <summary>The lock's key.</summary>
        public string Key => key;

        /// <summary>The managed thread that holds it.</summary>
        public int Thread => thread;

        /// <summary>When its <c>SET</c> was sent (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long AcquiredAt => acquiredAt;

        /// <summary>A committed script deleted the key: nothing left to release.</summary>
        public void ReleasedByCommit()
        {
            if (storage is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                storage._heldStateLocks.TryRemove(new KeyValuePair<string, StateLock>(key, this));
            }
        }

        /// <summary>A script that deletes the key failed: it may have run (its reply lost) and another holder may have
        /// taken the key since, so the release compares the token (<c>EVALSHA GET DEL</c>) instead of a plain <c>DEL</c>.</summary>
        public void CommitFailed() => _mayBeGone = true;

        public void Dispose()
        {
            if (storage is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                storage.ReleaseStateLock(this, token, _mayBeGone);
            }
        }
    }
}
