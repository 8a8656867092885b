using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Ring membership in a Redis sorted set (member = node id, score = last heartbeat in Unix ms).</summary>
internal sealed class RedisNodeRegistry(IConnectionMultiplexer redis, Stores.RedisKeys keys, TimeProvider time) : INodeRegistry
{
    private IDatabase Db => redis.GetDatabase();

    public Task HeartbeatAsync(string nodeId, CancellationToken cancellationToken)
        => Db.SortedSetAddAsync(keys.Nodes, nodeId, time.GetUtcNow().ToUnixTimeMilliseconds());

    public Task LeaveAsync(string nodeId, CancellationToken cancellationToken)
        => Db.SortedSetRemoveAsync(keys.Nodes, nodeId);

    public async Task<IReadOnlyList<string>> GetLiveNodesAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var db = Db;
        _ = db.SortedSetRemoveRangeByScoreAsync(keys.Nodes, double.NegativeInfinity, now - (ttl.TotalMilliseconds * 10), flags: CommandFlags.FireAndForget);
        var values = await db.SortedSetRangeByScoreAsync(keys.Nodes, now - ttl.TotalMilliseconds, double.PositiveInfinity).ConfigureAwait(false);
        return values.Select(v => v.ToString()).ToList();
    }
}
