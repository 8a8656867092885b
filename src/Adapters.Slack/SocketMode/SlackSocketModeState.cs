namespace OpenClaw.Channels.Slack;

/// <summary>Whether a Socket Mode connection is up (it received <c>hello</c>); read by the health check.</summary>
internal sealed class SlackSocketModeState
{
    private int _connected;
    private int _opens;

    public bool IsConnected => Volatile.Read(ref _connected) == 1;

    /// <summary>Connections opened since start.</summary>
    public int Opens => Volatile.Read(ref _opens);

    public void SetConnected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);

    public int NextConnectionId() => Interlocked.Increment(ref _opens);

    /// <summary>Why the worker stopped for good (Slack switched Socket Mode off: <c>link_disabled</c>), or null.</summary>
    public string? StoppedReason => Volatile.Read(ref _stoppedReason);

    public void SetStopped(string reason) => Volatile.Write(ref _stoppedReason, reason);

    private string? _stoppedReason;
}
