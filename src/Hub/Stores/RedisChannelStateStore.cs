using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Redis <see cref="IChannelStateStore"/>: plain string keys under <c>{prefix}state:</c>, shared by all nodes.</summary>
internal sealed class RedisChannelStateStore(IConnectionMultiplexer redis, RedisKeys keys) : IChannelStateStore
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(keys.State(key)).ConfigureAwait(false);
        return value.IsNull ? null : value.ToString();
    }

    public Task SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken)
        => Db.StringSetAsync(keys.State(key), value, ttl.HasValue ? ttl.Value : default(Expiration));

    public Task<bool> TrySetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken)
        => Db.StringSetAsync(keys.State(key), value, ttl, When.NotExists);

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
        => Db.KeyDeleteAsync(keys.State(key));
}
