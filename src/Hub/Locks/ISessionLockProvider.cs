namespace OpenClaw.Channels.Hub.Locks;

/// <summary>Mutual exclusion per session across all nodes: at most one agent run per session at any moment.</summary>
internal interface ISessionLockProvider
{
    /// <summary>Acquires the session lock, waiting up to <paramref name="wait"/>. The returned handle keeps the lock
    /// (extending its lease) until disposed.</summary>
    /// <returns>The handle, or null when the lock stayed busy for the whole wait.</returns>
    Task<IAsyncDisposable?> AcquireAsync(string sessionKey, TimeSpan wait, CancellationToken cancellationToken);
}
