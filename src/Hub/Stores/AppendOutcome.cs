namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Result of <see cref="ISessionStore.AppendIfNewAsync(string, TimeSpan, string, ChannelMessage, string?, CancellationToken)"/>.</summary>
internal enum AppendOutcome
{
    /// <summary>The idempotency key was already known; nothing stored.</summary>
    Duplicate,

    /// <summary>Stored; a run for the session was already pending, so no new job is needed.</summary>
    AppendedRunPending,

    /// <summary>Stored and the session had no pending run: the caller schedules one.</summary>
    AppendedNeedsRun,
}
