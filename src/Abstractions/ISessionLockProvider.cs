namespace OpenClaw.Channels;

/// <summary>Mutual exclusion per session across all nodes: at most one agent run per session at any moment.</summary>
public interface ISessionLockProvider
{
    /// <summary>Acquires the session lock, waiting up to <paramref name="wait"/>. The returned lease keeps the lock
    /// (extending it) until disposed, and says when it was lost (<see cref="ISessionLease.IsHeld"/>).</summary>
    /// <returns>The lease, or null when the lock stayed busy for the whole wait.</returns>
    /// <exception cref="Exception">The store's connection or timeout error (a Redis exception, a
    /// <see cref="TimeoutException"/>) when the wait ended without the lock servers answering: not busy, retry later.</exception>
    Task<ISessionLease?> AcquireAsync(string sessionKey, TimeSpan wait, CancellationToken cancellationToken);
}
