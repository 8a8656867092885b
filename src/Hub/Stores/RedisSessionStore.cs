using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Redis <see cref="ISessionStore"/>. Dedupe and append are one Lua script (one round trip, atomic):
/// <c>SET dedupe NX PX</c>, then <c>RPUSH inbox</c> and <c>ZADD pending NX</c> only when the key was new.</summary>
internal sealed class RedisSessionStore(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time) : ISessionStore
{
    private const int DeadLetterCap = 10_000;

    // KEYS: dedupe, inbox, pending. ARGV: ttl ms, payload, now ms, session key.
    // Returns 0 duplicate, 1 appended with a run already pending, 2 appended and a run is needed.
    private static readonly LuaScript AppendScript = LuaScript.Prepare(
        """
        if not redis.call('SET', @dedupe, '1', 'NX', 'PX', @ttl) then return 0 end
        redis.call('RPUSH', @inbox, @payload)
        if redis.call('ZADD', @pending, 'NX', @now, @session) == 1 then return 2 end
        return 1
        """);

    private static readonly LuaScript CompleteScript = LuaScript.Prepare(
        """
        if redis.call('LLEN', @inbox) == 0 then
          redis.call('ZREM', @pending, @session)
          return 1
        end
        return 0
        """);

    private static readonly LuaScript TouchScript = LuaScript.Prepare(
        "return redis.call('ZADD', @pending, 'XX', @now, @session)");

    private IDatabase Db => redis.GetDatabase();

    public async Task<AppendOutcome> AppendIfNewAsync(string idempotencyKey, TimeSpan dedupeTtl, string sessionKey, ChannelMessage message, CancellationToken cancellationToken)
    {
        var result = (int)await Db.ScriptEvaluateAsync(AppendScript, new
        {
            dedupe = keys.Dedupe(idempotencyKey),
            inbox = keys.Inbox(sessionKey),
            pending = keys.Pending,
            ttl = (long)dedupeTtl.TotalMilliseconds,
            payload = MessageSerializer.Serialize(message),
            now = Now(),
            session = sessionKey,
        }).ConfigureAwait(false);
        return result switch
        {
            0 => AppendOutcome.Duplicate,
            2 => AppendOutcome.AppendedNeedsRun,
            _ => AppendOutcome.AppendedRunPending,
        };
    }

    public Task<bool> MarkSeenAsync(string idempotencyKey, TimeSpan dedupeTtl, CancellationToken cancellationToken)
        => Db.StringSetAsync(keys.Dedupe(idempotencyKey), "1", dedupeTtl, When.NotExists);

    public async Task<ChannelMessage?> PeekAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var value = await Db.ListGetByIndexAsync(keys.Inbox(sessionKey), 0).ConfigureAwait(false);
        return value.IsNull ? null : MessageSerializer.Deserialize(value.ToString());
    }

    public Task PopAsync(string sessionKey, CancellationToken cancellationToken)
        => Db.ListLeftPopAsync(keys.Inbox(sessionKey));

    public Task<long> CountAsync(string sessionKey, CancellationToken cancellationToken)
        => Db.ListLengthAsync(keys.Inbox(sessionKey));

    public async Task<bool> TryCompleteAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var result = (int)await Db.ScriptEvaluateAsync(CompleteScript, new
        {
            inbox = keys.Inbox(sessionKey),
            pending = keys.Pending,
            session = sessionKey,
        }).ConfigureAwait(false);
        return result == 1;
    }

    public Task TouchAsync(string sessionKey, CancellationToken cancellationToken)
        => Db.ScriptEvaluateAsync(TouchScript, new { pending = keys.Pending, now = Now(), session = sessionKey });

    public async Task<IReadOnlyList<string>> GetStalePendingAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken)
    {
        var values = await Db.SortedSetRangeByScoreAsync(keys.Pending, double.NegativeInfinity, olderThan.ToUnixTimeMilliseconds(), Exclude.None, Order.Ascending, 0, max).ConfigureAwait(false);
        return values.Select(v => v.ToString()).ToList();
    }

    public async Task DeadLetterAsync(ChannelMessage message, string reason, CancellationToken cancellationToken)
    {
        var entry = System.Text.Json.JsonSerializer.Serialize(new { reason, at = time.GetUtcNow(), message }, MessageSerializer.Options);
        var tx = Db.CreateTransaction();
        _ = tx.ListRightPushAsync(keys.DeadLetters, entry);
        _ = tx.ListTrimAsync(keys.DeadLetters, -DeadLetterCap, -1);
        await tx.ExecuteAsync().ConfigureAwait(false);
    }

    public Task PingAsync(CancellationToken cancellationToken) => Db.PingAsync();

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
