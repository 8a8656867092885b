namespace OpenClaw.Channels;

/// <summary>A held session lock. A run acts on its session (sends, pops) only while <see cref="IsHeld"/> is true;
/// disposing releases the lock.</summary>
public interface ISessionLease : IAsyncDisposable
{
    /// <summary>The value stored under <see cref="FenceKey"/> while this lease holds the lock (a GUID).</summary>
    string Token { get; }

    /// <summary>The key in the session store that holds <see cref="Token"/> while this lease is valid, so a store script
    /// can check the lease in the same atomic step as a write (compare-and-pop); null when the lock does not live in
    /// the session store (several RedLock endpoints, or the embedded lock).</summary>
    string? FenceKey { get; }

    /// <summary>True while the lock is provably ours: the last extension succeeded on a quorum and its validity
    /// (lease minus clock drift, counted from before the extension was sent) has not run out, with a safety margin.
    /// False for good once an extension fails.</summary>
    bool IsHeld { get; }

    /// <summary>Cancelled when the lease is lost (an extension failed or its validity ran out) or released.</summary>
    CancellationToken Lost { get; }
}
