namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Result of <see cref="ISessionStore.PopAsync"/>.</summary>
internal enum PopOutcome
{
    /// <summary>The message was at the head and is removed.</summary>
    Popped,

    /// <summary>The head is another message (or none): someone already popped this one; nothing removed.</summary>
    NotAtHead,

    /// <summary>The caller's lease no longer holds the session lock; nothing removed.</summary>
    LeaseLost,
}
