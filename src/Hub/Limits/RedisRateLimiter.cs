using System.Globalization;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Limits;

/// <summary>Rate-limit buckets in Redis, one script (GCRA): the key <c>{prefix}rate:{bucket}</c> holds the bucket's
/// theoretical arrival time in Unix ms on the Redis server's clock (<c>TIME</c>), so all nodes share one clock and one
/// queue of slots; a reservation advances it by the emission interval and returns the wait. A 429 moves it to
/// now + Retry-After + tolerance. The key expires when the bucket is full again.</summary>
internal sealed class RedisRateLimiter(IConnectionMultiplexer redis, string keyPrefix) : ISharedRateLimiter
{
    // KEYS[1] bucket; ARGV[1] op (reserve|block), ARGV[2] emission interval ms, ARGV[3] tolerance ms, ARGV[4] retry-after ms.
    // Returns the wait in ms (reserve) or 0 (block).
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tat < now then tat = now end
        local interval = tonumber(ARGV[2])
        local tolerance = tonumber(ARGV[3])
        if ARGV[1] == 'block' then
          local blocked = now + tonumber(ARGV[4]) + tolerance
          if blocked > tat then tat = blocked end
          redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', tat - now + 1000)
          return 0
        end
        local wait = tat - tolerance - now
        if wait < 0 then wait = 0 end
        local nexttat = tat + interval
        redis.call('SET', KEYS[1], string.format('%d', nexttat), 'PX', nexttat - now + 1000)
        return wait
        """;

    public async Task<TimeSpan> ReserveAsync(string bucket, RateLimit limit, CancellationToken cancellationToken)
        => TimeSpan.FromMilliseconds(await RunAsync("reserve", bucket, limit, TimeSpan.Zero).ConfigureAwait(false));

    public Task BlockAsync(string bucket, RateLimit limit, TimeSpan retryAfter, CancellationToken cancellationToken)
        => RunAsync("block", bucket, limit, retryAfter);

    private async Task<long> RunAsync(string op, string bucket, RateLimit limit, TimeSpan retryAfter)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            Script,
            [(RedisKey)(keyPrefix + "rate:" + bucket)],
            [op, Ms(limit.EmissionInterval), Ms(limit.Tolerance), Ms(retryAfter)]).ConfigureAwait(false);
        return (long)result;
    }

    private static string Ms(TimeSpan value) => ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
