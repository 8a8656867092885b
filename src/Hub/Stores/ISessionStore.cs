using OpenClaw.Channels.Hub.DeadLetters;
using OpenClaw.Channels.Hub.Locks;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Dedupe keys, session inboxes, the set of sessions with a pending run, delivery records and dead letters.
/// Redis in distributed mode, process memory in embedded mode. Every method is atomic on its own.</summary>
internal interface ISessionStore
{
    /// <summary>Atomically: remember <paramref name="idempotencyKey"/> for <paramref name="dedupeTtl"/> (SET NX) and,
    /// only if it was new, append <paramref name="message"/> to the session inbox and mark the session pending (and, when
    /// it needs a run, its run as being scheduled by this node).</summary>
    Task<AppendOutcome> AppendIfNewAsync(string idempotencyKey, TimeSpan dedupeTtl, string sessionKey, ChannelMessage message, CancellationToken cancellationToken)
        => AppendIfNewAsync(idempotencyKey, dedupeTtl, sessionKey, message, runId: null, cancellationToken);

    /// <summary><see cref="AppendIfNewAsync(string, TimeSpan, string, ChannelMessage, CancellationToken)"/>, and when the
    /// session needs a run, the run marker carries <paramref name="runId"/>: the Hangfire job id the router then creates
    /// that run with (<see cref="RunIdSeparator"/>), so it records no id of its own afterwards.</summary>
    /// <param name="idempotencyKey">The message's dedupe key.</param>
    /// <param name="dedupeTtl">How long the key is remembered.</param>
    /// <param name="sessionKey">The session.</param>
    /// <param name="message">The message.</param>
    /// <param name="runId">The job id of the session's run, when this append makes it need one; null: none known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AppendOutcome> AppendIfNewAsync(string idempotencyKey, TimeSpan dedupeTtl, string sessionKey, ChannelMessage message, string? runId, CancellationToken cancellationToken);

    /// <summary>Remembers an idempotency key without storing a message (ignored messages). True when new.</summary>
    Task<bool> MarkSeenAsync(string idempotencyKey, TimeSpan dedupeTtl, CancellationToken cancellationToken);

    /// <summary>The oldest queued message of a session with its delivery record, or null; when there is one, also records
    /// progress on the session as <see cref="TouchAsync"/> does (one round trip).</summary>
    Task<InboxHead?> PeekAsync(string sessionKey, CancellationToken cancellationToken)
        => PeekAsync(sessionKey, touch: true, cancellationToken);

    /// <summary><see cref="PeekAsync(string, CancellationToken)"/>; without <paramref name="touch"/> a head found is not
    /// recorded as progress (one command less: a run's first peek right after its job was created, when the pending mark
    /// is as fresh as the append that made it).</summary>
    /// <param name="sessionKey">The session.</param>
    /// <param name="touch">Record progress when there is a head (<see cref="TouchAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<InboxHead?> PeekAsync(string sessionKey, bool touch, CancellationToken cancellationToken);

    /// <summary>Compare-and-pop: removes the head of the inbox only if it is the message <paramref name="messageId"/> and,
    /// when <paramref name="lease"/> has a <see cref="ISessionLease.FenceKey"/>, only while the lock still holds the
    /// lease's token (checked in the same atomic step). Also drops the message's delivery record and attempt count.</summary>
    Task<PopOutcome> PopAsync(string sessionKey, string messageId, ISessionLease lease, CancellationToken cancellationToken);

    /// <summary>The end of a turn in one atomic step: the compare-and-pop of <see cref="PopAsync(string, string, ISessionLease, CancellationToken)"/>
    /// (only while <see cref="ISessionLease.IsHeld"/> and the lock holds the lease's token), with the delivery record
    /// <paramref name="delivery"/> (kept for <paramref name="deliveryTtl"/>) written whenever the message is not popped,
    /// so a later run pops without sending again; a record the pop would drop at once is not written. With
    /// <paramref name="completion"/>, an inbox left empty also clears the session's pending mark (as
    /// <see cref="TryCompleteAsync"/>) and, for <see cref="PopCompletion.CompleteAndRelease"/> with a lease fenced in
    /// this store, deletes the lock (the lease is told through <see cref="IStoreReleasableLease"/>). With
    /// <paramref name="clean"/> (the peek's <see cref="InboxHead.Clean"/>, nothing written for the message since), the
    /// pop does not drop a delivery record or attempt count (one command less).</summary>
    /// <returns><see cref="PopOutcome.Completed"/> when the session was completed, else as the plain pop.</returns>
    Task<PopOutcome> PopAsync(string sessionKey, string messageId, ISessionLease lease, DeliveryRecord? delivery, TimeSpan deliveryTtl, PopCompletion completion, CancellationToken cancellationToken, bool clean = false);

    /// <summary>Records what was posted for message <paramref name="messageId"/> (kept for <paramref name="ttl"/>).
    /// Needs no lease: it states a fact, and only makes a later run pop instead of sending again.</summary>
    Task RecordDeliveryAsync(string messageId, DeliveryRecord record, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Counts one deterministic failure of message <paramref name="messageId"/>; returns the count so far.</summary>
    Task<long> CountFailureAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Atomically puts <paramref name="messages"/> (oldest first) back at the head of the session inbox, skipping
    /// any already at the head, forgets their delivery records, and marks the session pending.</summary>
    /// <returns>True when the session had no pending run (the caller schedules one).</returns>
    Task<bool> RequeueAtHeadAsync(string sessionKey, IReadOnlyList<ChannelMessage> messages, CancellationToken cancellationToken);

    /// <summary>Number of queued messages.</summary>
    Task<long> CountAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Atomically: if the inbox is empty, clear the session's pending mark and return true; else false.</summary>
    Task<bool> TryCompleteAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Records progress on a pending session (keeps the rescue sweeper away).</summary>
    Task TouchAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Pending sessions with no progress since <paramref name="olderThan"/>; at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<string>> GetStalePendingAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken);

    /// <summary>Remembers the Hangfire job id of the session's latest run (the rescue sweep asks Hangfire about it).</summary>
    Task SetRunAsync(string sessionKey, string jobId, CancellationToken cancellationToken);

    /// <summary>Prefix of the run marker <see cref="AppendIfNewAsync(string, TimeSpan, string, ChannelMessage, string?, CancellationToken)"/> sets when a session needs a run, followed by the
    /// accepting node's id, <c>@</c> and the time of the append (Unix ms): the job is being created by that node's
    /// router, unless the append's reply was lost (the webhook failed, the redelivery was a duplicate) and the marker
    /// is never replaced (the rescue sweep lets it age out).</summary>
    const string SchedulingMarker = "sched:";

    /// <summary>Ends a run marker and is followed by the job id its router creates the run with, when the append knew it
    /// (<c>sched:{node}@{unix ms}#{job id}</c>): the job's own state tells once it exists, the marker's rule until then.</summary>
    const char RunIdSeparator = '#';

    /// <summary>The Hangfire job id of the session's latest run, <see cref="SchedulingMarker"/> + node id while the node
    /// that accepted its first message is creating the job, null when none is recorded, or the empty string when the
    /// session is no longer pending (its run completed meanwhile). One atomic read.</summary>
    Task<string?> GetRunAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>True while the session's lock key exists in this store (locks fenced in the store, see
    /// <see cref="ISessionLease.FenceKey"/>); false when it does not, or when locks live on other servers. The rescue
    /// sweep waits while it is held: a new run would only find the session busy.</summary>
    Task<bool> IsLockedAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Keeps a message that failed deterministically, with the reason (durable, capped; replayable). The caller
    /// pops it afterwards.</summary>
    Task DeadLetterAsync(string sessionKey, ChannelMessage message, string reason, CancellationToken cancellationToken);

    /// <summary>Dead letters, newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken);

    /// <summary>Removes dead letter <paramref name="id"/> and puts its message back at the head of its session.</summary>
    /// <returns>The dead letter and whether the session needs a new run; null when there is no such dead letter.</returns>
    Task<(DeadLetter Letter, bool NeedsRun)?> ReplayDeadLetterAsync(string id, CancellationToken cancellationToken);

    /// <summary>Checks the store answers (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
