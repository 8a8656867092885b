using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Ownership;

/// <summary>Registers <see cref="ConnectionOwnership"/> for the adapters: leases in Redis when the hub has an
/// <see cref="IConnectionMultiplexer"/> (Redis mode, or an embedded server speaking Redis), else in process (a cluster
/// of one); node id, lease time and renewal period from <c>Hub:NodeId</c>, <c>Hub:NodeTtlMs</c> and
/// <c>Hub:NodeHeartbeatMs</c>; the live nodes (to spread several connections, e.g. Discord shards) from the node
/// registry.</summary>
internal static partial class ConnectionOwnershipServiceCollectionExtensions
{
    public static IServiceCollection AddConnectionOwnership(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionLeaseStore>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisConnectionLeaseStore(redis, sp.GetRequiredService<IOptions<HubOptions>>().Value.KeyPrefix)
            : new LocalConnectionLeaseStore(sp.GetRequiredService<TimeProvider>()));

        // Last registration wins over the adapters' TryAdd of a process-local default.
        services.AddSingleton(sp =>
        {
            var hub = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectionOwnership));
            return new ConnectionOwnership(
                sp.GetRequiredService<IConnectionLeaseStore>(),
                new ConnectionOwnershipOptions
                {
                    NodeId = hub.NodeId,
                    Ttl = TimeSpan.FromMilliseconds(hub.NodeTtlMs),
                    RenewInterval = TimeSpan.FromMilliseconds(Math.Min(hub.NodeHeartbeatMs, hub.NodeTtlMs / 3)),
                    RenewFailed = (lease, ex) => LogRenewFailed(logger, lease.Resource, ex),
                    Acquired = lease => LogAcquired(logger, lease.Owner, lease.Resource, lease.FencingToken),
                    Ended = (lease, lost) => LogEnded(logger, lease.Owner, lease.Resource, lost ? "lost" : "released"),
                    LiveNodes = sp.GetService<Routing.INodeRegistry>() is { } registry
                        ? ct => registry.GetLiveNodesAsync(TimeSpan.FromMilliseconds(hub.NodeTtlMs), ct)
                        : null,
                },
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddHealthChecks().AddCheck<ConnectionOwnershipHealthCheck>("connections", tags: ["ready"]);
        return services;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} now owns connection {Resource} (fencing token {FencingToken})")]
    private static partial void LogAcquired(ILogger logger, string nodeId, string resource, long fencingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} no longer owns connection {Resource} ({How})")]
    private static partial void LogEnded(ILogger logger, string nodeId, string resource, string how);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease on {Resource} failed; the connection is kept until the lease's deadline")]
    private static partial void LogRenewFailed(ILogger logger, string resource, Exception exception);
}
