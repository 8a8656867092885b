namespace OpenClaw.Channels.Tests;

/// <summary>How far <see cref="HubProcess"/> start-up waits before it returns the process.</summary>
public enum HubReadiness
{
    /// <summary>Returns at once (the test waits for the exit or an output line itself).</summary>
    Started,

    /// <summary>Until Kestrel logs <c>Now listening on: http://…</c>.</summary>
    Listening,

    /// <summary>Until Kestrel listens and <c>/readyz</c> answers 200.</summary>
    Ready,
}
