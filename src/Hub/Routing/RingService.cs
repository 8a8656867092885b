using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Keeps this node registered (heartbeat every <see cref="HubOptions.NodeHeartbeatMs"/>) and the ring of live
/// nodes current. Embedded mode is a ring of one.</summary>
internal sealed partial class RingService(INodeRegistry registry, IOptions<HubOptions> options, ILogger<RingService> logger) : BackgroundService
{
    private readonly HubOptions _options = options.Value;
    private ConsistentHashRing _ring = new([options.Value.NodeId], options.Value.VirtualNodes);

    /// <summary>The current ring.</summary>
    public ConsistentHashRing Ring => Volatile.Read(ref _ring);

    /// <summary>This node's id.</summary>
    public string NodeId => _options.NodeId;

    /// <summary>Virtual nodes per node (<see cref="HubOptions.VirtualNodes"/>).</summary>
    public int VirtualNodes => _options.VirtualNodes;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await registry.HeartbeatAsync(_options.NodeId, cancellationToken).ConfigureAwait(false);
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHeartbeatFailed(logger, ex);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await registry.LeaveAsync(_options.NodeId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHeartbeatFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.NodeHeartbeatMs));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await registry.HeartbeatAsync(_options.NodeId, stoppingToken).ConfigureAwait(false);
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHeartbeatFailed(logger, ex);
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var live = await registry.GetLiveNodesAsync(TimeSpan.FromMilliseconds(_options.NodeTtlMs), cancellationToken).ConfigureAwait(false);
        var nodes = live.Contains(_options.NodeId) ? live : [.. live, _options.NodeId];
        if (!nodes.Order(StringComparer.Ordinal).SequenceEqual(Ring.Nodes))
        {
            Volatile.Write(ref _ring, new ConsistentHashRing(nodes, _options.VirtualNodes));
            LogRingChanged(logger, string.Join(",", Ring.Nodes));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ring heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ring members now {Nodes}")]
    private static partial void LogRingChanged(ILogger logger, string nodes);
}
