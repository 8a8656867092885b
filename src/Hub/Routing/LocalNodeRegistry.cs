namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Embedded mode: a ring of one, this node.</summary>
internal sealed class LocalNodeRegistry(string nodeId) : INodeRegistry
{
    public Task HeartbeatAsync(string nodeId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LeaveAsync(string nodeId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> GetLiveNodesAsync(TimeSpan ttl, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<string>>([nodeId]);
}
