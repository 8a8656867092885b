using System.Globalization;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Ownership;

/// <summary>Connection leases in Redis, one script for acquire, renew and release. A lease is a hash
/// <c>{prefix}lease:{resource}</c> (fields <c>owner</c>, <c>token</c>) with a PEXPIRE of the TTL, so Redis measures
/// expiry; the fencing token comes from <c>INCR {prefix}lease:{resource}:fence</c> (never expires), so every grant is
/// larger than the ones before. Works on any server speaking Redis with Lua (Redis, Garnet).</summary>
internal sealed class RedisConnectionLeaseStore(IConnectionMultiplexer redis, string keyPrefix) : IConnectionLeaseStore
{
    // KEYS[1] lease hash, KEYS[2] fence counter; ARGV[1] op, ARGV[2] owner, ARGV[3] token (renew/release), ARGV[4] ttl ms.
    // Returns the token held (acquire/renew), 1 (release done), or 0 (held by another / no longer held).
    private const string Script = """
        local owner = redis.call('HGET', KEYS[1], 'owner')
        local token = redis.call('HGET', KEYS[1], 'token')
        local op = ARGV[1]
        if op == 'acquire' then
          if owner then
            if owner == ARGV[2] then
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
              return tonumber(token)
            end
            return 0
          end
          local t = redis.call('INCR', KEYS[2])
          redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'token', t)
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          return t
        end
        if owner ~= ARGV[2] or token ~= ARGV[3] then
          return 0
        end
        if op == 'renew' then
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          return tonumber(token)
        end
        redis.call('DEL', KEYS[1])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<ConnectionLease?> TryAcquireAsync(string resource, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var token = await RunAsync("acquire", resource, owner, 0, ttl).ConfigureAwait(false);
        return token > 0 ? new ConnectionLease(resource, owner, token) : null;
    }

    public async Task<bool> RenewAsync(ConnectionLease lease, TimeSpan ttl, CancellationToken cancellationToken)
        => await RunAsync("renew", lease.Resource, lease.Owner, lease.FencingToken, ttl).ConfigureAwait(false) > 0;

    public Task ReleaseAsync(ConnectionLease lease, CancellationToken cancellationToken)
        => RunAsync("release", lease.Resource, lease.Owner, lease.FencingToken, TimeSpan.Zero);

    public async Task<ConnectionLease?> GetAsync(string resource, CancellationToken cancellationToken)
    {
        var fields = await Db.HashGetAsync(LeaseKey(resource), ["owner", "token"]).ConfigureAwait(false);
        return fields[0].IsNull || !long.TryParse(fields[1].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var token)
            ? null
            : new ConnectionLease(resource, fields[0].ToString(), token);
    }

    private async Task<long> RunAsync(string op, string resource, string owner, long token, TimeSpan ttl)
    {
        var ttlMs = Math.Max(1L, (long)ttl.TotalMilliseconds);
        var result = await Db.ScriptEvaluateAsync(
            Script,
            [LeaseKey(resource), (RedisKey)(keyPrefix + "lease:" + resource + ":fence")],
            [op, owner, token.ToString(CultureInfo.InvariantCulture), ttlMs]).ConfigureAwait(false);
        return (long)result;
    }

    private RedisKey LeaseKey(string resource) => keyPrefix + "lease:" + resource;
}
