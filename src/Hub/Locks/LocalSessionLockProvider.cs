namespace OpenClaw.Channels.Hub.Locks;

/// <summary>Embedded lock: one semaphore per session in this process, removed when nobody holds or waits for it.</summary>
internal sealed class LocalSessionLockProvider : ISessionLockProvider
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<ISessionLease?> AcquireAsync(string sessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(sessionKey, out entry!))
            {
                entry = new Entry();
                _entries[sessionKey] = entry;
            }

            entry.Users++;
        }

        var acquired = false;
        try
        {
            acquired = await entry.Semaphore.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!acquired)
            {
                Leave(sessionKey, entry);
            }
        }

        return acquired ? new Handle(this, sessionKey, entry) : null;
    }

    private void Leave(string sessionKey, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(sessionKey);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Handle(LocalSessionLockProvider owner, string sessionKey, Entry entry) : ISessionLease
    {
        private readonly CancellationTokenSource _lost = new();
        private int _disposed;

        public string Token { get; } = Guid.NewGuid().ToString("N");

        public string? FenceKey => null;

        public bool IsHeld => Volatile.Read(ref _disposed) == 0;

        public CancellationToken Lost => _lost.Token;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _lost.Cancel();
                _lost.Dispose();
                entry.Semaphore.Release();
                owner.Leave(sessionKey, entry);
            }

            return ValueTask.CompletedTask;
        }
    }
}
