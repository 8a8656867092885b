namespace OpenClaw.Channels.Hub.Locks;

/// <summary>A lease whose lock key a session-store script may delete in the same atomic step as the run's last pop
/// (<see cref="Stores.PopCompletion.CompleteAndRelease"/>): one round trip less per run, and no window in which the
/// session is complete but its lock still held.</summary>
internal interface IStoreReleasableLease
{
    /// <summary>The store deleted the lock key: stop extending, and do not release it again when disposed.</summary>
    void ReleasedByStore();
}
