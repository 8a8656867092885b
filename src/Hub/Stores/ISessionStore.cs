namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Dedupe keys, session inboxes and the set of sessions with a pending run. Redis in distributed mode,
/// process memory in embedded mode. Every method is atomic on its own.</summary>
internal interface ISessionStore
{
    /// <summary>Atomically: remember <paramref name="idempotencyKey"/> for <paramref name="dedupeTtl"/> (SET NX) and,
    /// only if it was new, append <paramref name="message"/> to the session inbox and mark the session pending.</summary>
    Task<AppendOutcome> AppendIfNewAsync(string idempotencyKey, TimeSpan dedupeTtl, string sessionKey, ChannelMessage message, CancellationToken cancellationToken);

    /// <summary>Remembers an idempotency key without storing a message (ignored messages). True when new.</summary>
    Task<bool> MarkSeenAsync(string idempotencyKey, TimeSpan dedupeTtl, CancellationToken cancellationToken);

    /// <summary>The oldest queued message of a session, or null.</summary>
    Task<ChannelMessage?> PeekAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Removes the oldest queued message (after it was handled).</summary>
    Task PopAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Number of queued messages.</summary>
    Task<long> CountAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Atomically: if the inbox is empty, clear the session's pending mark and return true; else false.</summary>
    Task<bool> TryCompleteAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Records progress on a pending session (keeps the rescue sweeper away).</summary>
    Task TouchAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Pending sessions with no progress since <paramref name="olderThan"/>; at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<string>> GetStalePendingAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken);

    /// <summary>Keeps a message that could not be delivered, with the reason (dead-letter list, newest last, capped).</summary>
    Task DeadLetterAsync(ChannelMessage message, string reason, CancellationToken cancellationToken);

    /// <summary>Checks the store answers (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
