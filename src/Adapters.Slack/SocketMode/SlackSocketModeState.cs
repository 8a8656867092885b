namespace OpenClaw.Channels.Slack;

/// <summary>How many Socket Mode slots this node holds and how many of their connections are up (received
/// <c>hello</c>); read by the health check.</summary>
internal sealed class SlackSocketModeState
{
    private int _connected;
    private int _slots;
    private int _opens;
    private int _elsewhere;
    private string? _stoppedReason;

    /// <summary>True while at least one connection of this node is up.</summary>
    public bool IsConnected => Connected > 0;

    /// <summary>Connections of this node that are up now.</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Connection slots (cluster-wide leases) this node holds now.</summary>
    public int SlotsHeld => Volatile.Read(ref _slots);

    /// <summary>Connection slots this node found held by another node and is waiting for.</summary>
    public int SlotsElsewhere => Volatile.Read(ref _elsewhere);

    /// <summary>Connections opened since start.</summary>
    public int Opens => Volatile.Read(ref _opens);

    /// <summary>Why the worker stopped for good (Slack switched Socket Mode off: <c>link_disabled</c>), or null.</summary>
    public string? StoppedReason => Volatile.Read(ref _stoppedReason);

    /// <summary>Counts a connection up (+1) or down (−1).</summary>
    public void AddConnected(int delta) => Interlocked.Add(ref _connected, delta);

    /// <summary>Counts a slot taken (+1) or given up (−1).</summary>
    public void AddSlot(int delta) => Interlocked.Add(ref _slots, delta);

    /// <summary>Counts a slot found held by another node (+1) or no longer waited for (−1).</summary>
    public void AddElsewhere(int delta) => Interlocked.Add(ref _elsewhere, delta);

    public int NextConnectionId() => Interlocked.Increment(ref _opens);

    public void SetStopped(string reason) => Volatile.Write(ref _stoppedReason, reason);
}
