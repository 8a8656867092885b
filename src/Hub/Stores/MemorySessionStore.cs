using System.Collections.Concurrent;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Embedded <see cref="ISessionStore"/>: process memory, one lock for inbox and pending state,
/// a concurrent map with expiry for dedupe keys.</summary>
internal sealed class MemorySessionStore(TimeProvider time) : ISessionStore
{
    private const int DeadLetterCap = 1000;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<ChannelMessage>> _inboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly Queue<(ChannelMessage Message, string Reason)> _deadLetters = new();
    private readonly Lock _gate = new();
    private long _nextSweep;

    public Task<AppendOutcome> AppendIfNewAsync(string idempotencyKey, TimeSpan dedupeTtl, string sessionKey, ChannelMessage message, CancellationToken cancellationToken)
    {
        if (!TryMark(idempotencyKey, dedupeTtl))
        {
            return Task.FromResult(AppendOutcome.Duplicate);
        }

        lock (_gate)
        {
            if (!_inboxes.TryGetValue(sessionKey, out var inbox))
            {
                inbox = new Queue<ChannelMessage>();
                _inboxes[sessionKey] = inbox;
            }

            inbox.Enqueue(message);
            return Task.FromResult(_pending.TryAdd(sessionKey, Now()) ? AppendOutcome.AppendedNeedsRun : AppendOutcome.AppendedRunPending);
        }
    }

    public Task<bool> MarkSeenAsync(string idempotencyKey, TimeSpan dedupeTtl, CancellationToken cancellationToken)
        => Task.FromResult(TryMark(idempotencyKey, dedupeTtl));

    public Task<ChannelMessage?> PeekAsync(string sessionKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_inboxes.TryGetValue(sessionKey, out var inbox) && inbox.Count > 0 ? inbox.Peek() : null);
        }
    }

    public Task PopAsync(string sessionKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_inboxes.TryGetValue(sessionKey, out var inbox) && inbox.Count > 0)
            {
                inbox.Dequeue();
                if (inbox.Count == 0)
                {
                    _inboxes.Remove(sessionKey);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<long> CountAsync(string sessionKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_inboxes.TryGetValue(sessionKey, out var inbox) ? (long)inbox.Count : 0L);
        }
    }

    public Task<bool> TryCompleteAsync(string sessionKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_inboxes.TryGetValue(sessionKey, out var inbox) && inbox.Count > 0)
            {
                return Task.FromResult(false);
            }

            _pending.Remove(sessionKey);
            return Task.FromResult(true);
        }
    }

    public Task TouchAsync(string sessionKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending.ContainsKey(sessionKey))
            {
                _pending[sessionKey] = Now();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetStalePendingAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken)
    {
        var limit = olderThan.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            IReadOnlyList<string> stale = _pending.Where(p => p.Value < limit).Select(p => p.Key).Take(max).ToList();
            return Task.FromResult(stale);
        }
    }

    public Task DeadLetterAsync(ChannelMessage message, string reason, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _deadLetters.Enqueue((message, reason));
            while (_deadLetters.Count > DeadLetterCap)
            {
                _deadLetters.Dequeue();
            }
        }

        return Task.CompletedTask;
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Dead letters kept in memory, oldest first (for tests and the status page).</summary>
    public IReadOnlyList<(ChannelMessage Message, string Reason)> DeadLetters
    {
        get
        {
            lock (_gate)
            {
                return _deadLetters.ToList();
            }
        }
    }

    private bool TryMark(string key, TimeSpan ttl)
    {
        var now = Now();
        SweepIfDue(now);
        var expires = now + (long)ttl.TotalMilliseconds;
        while (true)
        {
            if (_seen.TryAdd(key, expires))
            {
                return true;
            }

            if (!_seen.TryGetValue(key, out var current))
            {
                continue;
            }

            if (current > now)
            {
                return false;
            }

            if (_seen.TryUpdate(key, expires, current))
            {
                return true;
            }
        }
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + 60_000, due) != due)
        {
            return;
        }

        foreach (var (key, expires) in _seen)
        {
            if (expires <= now)
            {
                _seen.TryRemove(new KeyValuePair<string, long>(key, expires));
            }
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
