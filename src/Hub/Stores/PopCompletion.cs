namespace OpenClaw.Channels.Hub.Stores;

/// <summary>What a pop does when it leaves the inbox empty (the completing <c>ISessionStore.PopAsync</c> overload).</summary>
internal enum PopCompletion
{
    /// <summary>Nothing: the session stays pending (the caller peeks again or completes it itself).</summary>
    None,

    /// <summary>Clear the session's pending mark in the same step.</summary>
    Complete,

    /// <summary>Clear the pending mark and delete the session lock in the same step (the run is over), so a message that
    /// arrives next finds the lock free.</summary>
    CompleteAndRelease,
}
