namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Live hub nodes: each node heartbeats; a node silent for longer than the TTL is gone.</summary>
internal interface INodeRegistry
{
    /// <summary>Records a heartbeat of <paramref name="nodeId"/>.</summary>
    Task HeartbeatAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="nodeId"/> (graceful shutdown).</summary>
    Task LeaveAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Node ids with a heartbeat within <paramref name="ttl"/>.</summary>
    Task<IReadOnlyList<string>> GetLiveNodesAsync(TimeSpan ttl, CancellationToken cancellationToken);
}
