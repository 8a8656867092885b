namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Result of the <c>ISessionStore.PopAsync</c> overloads.</summary>
internal enum PopOutcome
{
    /// <summary>The message was at the head and is removed.</summary>
    Popped,

    /// <summary>The message was at the head and is removed, the inbox is now empty and the session's pending mark is
    /// cleared (<see cref="PopCompletion"/>): a later message schedules a new run.</summary>
    Completed,

    /// <summary>The head is another message (or none): someone already popped this one; nothing removed.</summary>
    NotAtHead,

    /// <summary>The caller's lease no longer holds the session lock; nothing removed.</summary>
    LeaseLost,
}
