using OpenClaw.Channels.Hub.DeadLetters;
using System.Collections.Concurrent;
using OpenClaw.Channels.Hub.Locks;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Embedded <see cref="ISessionStore"/>: process memory, one lock for inbox and pending state,
/// a concurrent map with expiry for dedupe keys.</summary>
internal sealed class MemorySessionStore(TimeProvider time, string nodeId = "local") : ISessionStore
{
    private const int DeadLetterCap = 1000;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<ChannelMessage>> _inboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly Dictionary<string, DeliveryRecord> _deliveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _runs = new(StringComparer.Ordinal);
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
            if (!_pending.TryAdd(sessionKey, Now()))
            {
                return Task.FromResult(AppendOutcome.AppendedRunPending);
            }

            _runs[sessionKey] = ISessionStore.SchedulingMarker + nodeId;
            return Task.FromResult(AppendOutcome.AppendedNeedsRun);
        }
    }

    public Task<bool> MarkSeenAsync(string idempotencyKey, TimeSpan dedupeTtl, CancellationToken cancellationToken)
        => Task.FromResult(TryMark(idempotencyKey, dedupeTtl));

    public Task<InboxHead?> PeekAsync(string sessionKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_inboxes.TryGetValue(sessionKey, out var inbox) || inbox.Count == 0)
            {
                return Task.FromResult<InboxHead?>(null);
            }

            var head = inbox.Peek();
            return Task.FromResult<InboxHead?>(new InboxHead(head, _deliveries.GetValueOrDefault(head.Id)));
        }
    }

    public Task<PopOutcome> PopAsync(string sessionKey, string messageId, ISessionLease lease, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!lease.IsHeld)
            {
                return Task.FromResult(PopOutcome.LeaseLost);
            }

            if (!_inboxes.TryGetValue(sessionKey, out var inbox) || inbox.Count == 0 || inbox.Peek().Id != messageId)
            {
                return Task.FromResult(PopOutcome.NotAtHead);
            }

            inbox.Dequeue();
            if (inbox.Count == 0)
            {
                _inboxes.Remove(sessionKey);
            }

            _deliveries.Remove(messageId);
            _failures.Remove(messageId);
            return Task.FromResult(PopOutcome.Popped);
        }
    }

    public Task RecordDeliveryAsync(string messageId, DeliveryRecord record, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _deliveries[messageId] = record;
        }

        return Task.CompletedTask;
    }

    public Task<long> CountFailureAsync(string messageId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var n = _failures.GetValueOrDefault(messageId) + 1;
            _failures[messageId] = n;
            return Task.FromResult(n);
        }
    }

    public Task<bool> RequeueAtHeadAsync(string sessionKey, IReadOnlyList<ChannelMessage> messages, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var rest = _inboxes.TryGetValue(sessionKey, out var inbox) ? inbox.ToList() : [];
            var front = messages.Where(m => rest.Count == 0 || rest[0].Id != m.Id).ToList();
            foreach (var m in messages)
            {
                _deliveries.Remove(m.Id);
            }

            _inboxes[sessionKey] = new Queue<ChannelMessage>(front.Concat(rest));
            return Task.FromResult(_pending.TryAdd(sessionKey, Now()));
        }
    }

    public Task SetRunAsync(string sessionKey, string jobId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _runs[sessionKey] = jobId;
        }

        return Task.CompletedTask;
    }

    public Task<string?> GetRunAsync(string sessionKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_pending.ContainsKey(sessionKey) ? _runs.GetValueOrDefault(sessionKey) : string.Empty);
        }
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
            _runs.Remove(sessionKey);
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

    public Task DeadLetterAsync(string sessionKey, ChannelMessage message, string reason, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _deadLetters.RemoveAll(d => d.Id == message.Id);
            _deadLetters.Add(new DeadLetter(message.Id, sessionKey, reason, time.GetUtcNow(), message));
            if (_deadLetters.Count > DeadLetterCap)
            {
                _deadLetters.RemoveAt(0);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<DeadLetter> list = _deadLetters.AsEnumerable().Reverse().Take(max).ToList();
            return Task.FromResult(list);
        }
    }

    public async Task<(DeadLetter Letter, bool NeedsRun)?> ReplayDeadLetterAsync(string id, CancellationToken cancellationToken)
    {
        DeadLetter? letter;
        lock (_gate)
        {
            letter = _deadLetters.Find(d => d.Id == id);
            if (letter is null)
            {
                return null;
            }

            _deadLetters.Remove(letter);
            _failures.Remove(letter.Message.Id);
        }

        return (letter, await RequeueAtHeadAsync(letter.SessionKey, [letter.Message], cancellationToken).ConfigureAwait(false));
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
