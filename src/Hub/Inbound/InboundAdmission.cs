using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Hub.Telemetry;

namespace OpenClaw.Channels.Hub.Inbound;

/// <summary>Bounds the unanswered inbound messages of the sessions this node owns (<see cref="HubOptions.AdmissionMaxBacklog"/>)
/// by slowing acknowledgements, never by refusing: a message beyond the bound waits up to
/// <see cref="HubOptions.AdmissionWaitMs"/> for a place, then is accepted anyway. A chat with nothing unanswered on this
/// node is admitted at once, so a flood from busy chats (a closed loop sends its next message as soon as the previous
/// one is acknowledged) cannot fill the job queue ahead of a new chat's first message.</summary>
/// <remarks>
/// <para>One place is one <see cref="ConcurrencyLimiter"/> permit, held from admission until the message is answered
/// (<see cref="Release"/> after its pop), found a duplicate or its append failed (the pipeline releases it), or
/// <see cref="PermitExpiry"/> has passed (a message answered by another node after the ring changed, a node whose pops
/// failed). Waiters get places oldest first. A message admitted at once without a free permit (a new chat) or accepted
/// after its wait holds no place at first but counts as unanswered; the next place freed is handed to the oldest such
/// message instead of to a waiter, so places free up only while the backlog is below the bound.</para>
/// <para>Process memory only: the count starts at zero when the node starts (messages queued before are not counted)
/// and messages accepted by other nodes are not counted here.</para>
/// </remarks>
internal sealed class InboundAdmission : IDisposable
{
    /// <summary>How long a place is held at most, from admission: then it is released whether the message was answered
    /// or not.</summary>
    public static readonly TimeSpan PermitExpiry = TimeSpan.FromMinutes(10);

    private static readonly KeyValuePair<string, object?> Admitted = new("result", "admitted");
    private static readonly KeyValuePair<string, object?> Waited = new("result", "waited");
    private static readonly KeyValuePair<string, object?> TimedOut = new("result", "timed_out");

    private readonly ConcurrencyLimiter? _limiter;
    private readonly TimeSpan _wait;
    private readonly Func<string, bool> _owns;
    private readonly HubTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ITimer? _expiry;
    private readonly Lock _gate = new();

    // All under _gate: the admitted messages by id, how many of them each session has, and those accepted without a
    // place (a new chat's, or after the wait), oldest first: the next place freed is theirs, so the limiter has a free
    // permit only while the backlog is below the bound.
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unansweredBySession = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _placeless = new();
    private long _waiting;

    /// <summary>Admission as configured: <see cref="HubOptions.AdmissionMaxBacklog"/> places for the sessions
    /// <paramref name="ring"/> gives this node.</summary>
    public InboundAdmission(IOptions<HubOptions> options, RingService ring, HubTelemetry telemetry, TimeProvider time)
        : this(
            options.Value.AdmissionMaxBacklog,
            TimeSpan.FromMilliseconds(options.Value.AdmissionWaitMs),
            sessionKey => ring.Ring.Owner(sessionKey) == ring.NodeId,
            telemetry,
            time)
    {
    }

    /// <summary>Admission with <paramref name="maxBacklog"/> places (0: off, everything admitted at once and nothing counted).</summary>
    /// <param name="maxBacklog">Places: unanswered messages before messages wait.</param>
    /// <param name="wait">The longest wait for a place.</param>
    /// <param name="owns">True for a session this node owns (only those are counted).</param>
    /// <param name="telemetry">Where the counter, histogram and gauges go.</param>
    /// <param name="time">Clock of the waits and the expiry.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBacklog"/> or <paramref name="wait"/> is negative.</exception>
    public InboundAdmission(int maxBacklog, TimeSpan wait, Func<string, bool> owns, HubTelemetry telemetry, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBacklog);
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        _wait = wait;
        _owns = owns;
        _telemetry = telemetry;
        _time = time;
        if (maxBacklog == 0)
        {
            return;
        }

        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxBacklog,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var sweep = PermitExpiry / 10;
        _expiry = time.CreateTimer(_ => ReleaseExpired(), null, sweep, sweep);
        telemetry.ObserveAdmission(() => Backlog, () => Waiting);
    }

    /// <summary>Messages counted as unanswered on this node: admitted and not yet released, including those waiting for a
    /// place now (their acknowledgement is held).</summary>
    public long Backlog
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Messages waiting for a place now.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Admits message <paramref name="messageId"/> of <paramref name="sessionKey"/>: at once when a place is free,
    /// the session has nothing unanswered on this node, the session is another node's, or admission is off; else after
    /// a place frees or the wait bound passes, whichever comes first. Every admitted message must be released
    /// (<see cref="Release"/>) once it is answered, a duplicate, or its append failed; else it expires.</summary>
    /// <param name="sessionKey">The message's session.</param>
    /// <param name="messageId">The message's hub-assigned id (<see cref="ChannelMessage.Id"/>), what its pop is by.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled during the wait;
    /// nothing stays counted.</exception>
    public async ValueTask AdmitAsync(string sessionKey, string messageId, CancellationToken cancellationToken)
    {
        if (_limiter is null || !_owns(sessionKey))
        {
            return;
        }

        bool fresh;
        lock (_gate)
        {
            if (!_entries.TryAdd(messageId, new Entry(sessionKey, _time.GetTimestamp())))
            {
                return; // already counted (the same message accepted twice)
            }

            fresh = !_unansweredBySession.TryGetValue(sessionKey, out var unanswered);
            _unansweredBySession[sessionKey] = unanswered + 1;
        }

        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired || fresh)
        {
            Keep(messageId, lease);
            _telemetry.Admission.Add(1, Admitted);
            return;
        }

        lease.Dispose();
        await WaitAsync(messageId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the place of message <paramref name="messageId"/>: answered (popped), a duplicate, or its append
    /// failed. Nothing happens for a message not counted here (or released before).</summary>
    public void Release(string messageId)
    {
        RateLimitLease? freed;
        lock (_gate)
        {
            freed = Remove(messageId);
        }

        freed?.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _expiry?.Dispose();
        _limiter?.Dispose();
    }

    private async ValueTask WaitAsync(string messageId, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _waiting);
        using var bound = new CancellationTokenSource(_wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
        RateLimitLease? lease = null;
        try
        {
            lease = await _limiter!.AcquireAsync(1, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The bound passed: accepted without a place.
        }
        catch (OperationCanceledException)
        {
            Release(messageId);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        var acquired = lease is { IsAcquired: true };
        Keep(messageId, lease);
        _telemetry.Admission.Add(1, acquired ? Waited : TimedOut);
        _telemetry.AdmissionWait.Record(_time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Attaches an acquired permit to the message's entry, or, without one, queues the entry for the next place
    /// freed. A permit not acquired, or whose message was released meanwhile, is disposed.</summary>
    private void Keep(string messageId, RateLimitLease? lease)
    {
        var acquired = lease is { IsAcquired: true };
        lock (_gate)
        {
            if (_entries.TryGetValue(messageId, out var entry) && entry.Lease is null && entry.Placeless is null)
            {
                if (acquired)
                {
                    entry.Lease = lease;
                    return;
                }

                entry.Placeless = _placeless.AddLast(messageId);
            }
        }

        lease?.Dispose();
    }

    /// <summary>Forgets message <paramref name="messageId"/> (under <see cref="_gate"/>); its place, if it held one, goes
    /// to the oldest message accepted without a place.</summary>
    /// <returns>The permit to dispose (nobody took it over), or null.</returns>
    private RateLimitLease? Remove(string messageId)
    {
        if (!_entries.Remove(messageId, out var entry))
        {
            return null;
        }

        Forget(entry.SessionKey);
        if (entry.Placeless is { } node)
        {
            _placeless.Remove(node);
        }

        if (entry.Lease is not { } lease || _placeless.First is not { } oldest)
        {
            return entry.Lease;
        }

        _placeless.RemoveFirst();
        var heir = _entries[oldest.Value];
        heir.Placeless = null;
        heir.Lease = lease;
        return null;
    }

    private void ReleaseExpired()
    {
        List<RateLimitLease>? leases = null;
        lock (_gate)
        {
            List<string>? expired = null;
            foreach (var (id, entry) in _entries)
            {
                if (_time.GetElapsedTime(entry.AdmittedAt) >= PermitExpiry)
                {
                    (expired ??= []).Add(id);
                }
            }

            foreach (var id in expired ?? [])
            {
                if (Remove(id) is { } lease)
                {
                    (leases ??= []).Add(lease);
                }
            }
        }

        foreach (var lease in leases ?? [])
        {
            lease.Dispose();
        }
    }

    /// <summary>One message of the session less (under <see cref="_gate"/>).</summary>
    private void Forget(string sessionKey)
    {
        var left = _unansweredBySession[sessionKey] - 1;
        if (left == 0)
        {
            _unansweredBySession.Remove(sessionKey);
        }
        else
        {
            _unansweredBySession[sessionKey] = left;
        }
    }

    [DebuggerDisplay("{SessionKey}")]
    private sealed class Entry(string sessionKey, long admittedAt)
    {
        public string SessionKey { get; } = sessionKey;

        public long AdmittedAt { get; } = admittedAt;

        public RateLimitLease? Lease { get; set; }

        /// <summary>Its node in the queue of messages accepted without a place.</summary>
        public LinkedListNode<string>? Placeless { get; set; }
    }
}
