using System.Text.Json;
using OpenClaw.Channels.Hub.DeadLetters;
using OpenClaw.Channels.Hub.Locks;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Redis <see cref="ISessionStore"/>. Each operation is one command or one Lua script (one round trip, atomic):
/// append is <c>SET dedupe NX PX</c>, then <c>RPUSH inbox</c> and <c>ZADD pending NX</c> only when the key was new; peek
/// reads the head and its delivery record and touches the pending mark; pop compares the head's id (and the lock's token)
/// before <c>LPOP</c>, writes the delivery record only when it does not pop, and completes the session (and releases the
/// lock) when the inbox is left empty.</summary>
/// <remarks>Stored messages are JSON whose first property is <c>"id"</c> (<see cref="ChannelMessage.Id"/> is declared
/// first), so the scripts read a head's id with a prefix match instead of decoding the JSON.</remarks>
/// <param name="redis">The connection.</param>
/// <param name="keys">Key layout.</param>
/// <param name="time">Clock.</param>
/// <param name="nodeId">This node's id: a session appended here that needs a run is marked <c>sched:{nodeId}@{unix ms}</c>
/// in the runs hash until this node's router has created the job (see <see cref="ISessionStore.GetRunAsync"/>).</param>
internal sealed class RedisSessionStore(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time, string nodeId = "local") : ISessionStore
{
    private const int DeadLetterCap = 10_000;
    private static readonly TimeSpan AttemptsTtl = TimeSpan.FromDays(1);

    // KEYS: dedupe, inbox, pending, runs. ARGV: ttl ms, payload, now ms, session key, scheduling marker ('sched:{node}@',
    // the time is appended: a marker whose job never gets created, because this reply was lost, ages out in the sweep),
    // then '#{job id}' of the run the router creates, or ''.
    // Returns 0 duplicate, 1 appended with a run already pending, 2 appended and a run is needed.
    private static readonly LuaScript AppendScript = LuaScript.Prepare(
        """
        if not redis.call('SET', @dedupe, '1', 'NX', 'PX', @ttl) then return 0 end
        redis.call('RPUSH', @inbox, @payload)
        if redis.call('ZADD', @pending, 'NX', @now, @session) == 1 then
          redis.call('HSET', @runs, @session, @marker .. @now .. @job)
          return 2
        end
        return 1
        """);

    // Returns nil, or { head payload, delivery record or false, 1 when the head has a delivery record or an attempt
    // count (the pop must drop them) else 0 }; a head found is progress (ZADD XX pending: the touch) unless @touch is
    // '0'. One MGET reads both.
    private static readonly LuaScript PeekScript = LuaScript.Prepare(
        """
        local head = redis.call('LINDEX', @inbox, 0)
        if not head then return nil end
        local id = string.match(head, '^{"id":"([^"]+)"')
        local delivery = false
        local left = 1
        if id then
          local found = redis.call('MGET', @deliveryPrefix .. id, @attemptsPrefix .. id)
          delivery = found[1]
          if not found[1] and not found[2] then left = 0 end
        end
        if @touch == '1' then redis.call('ZADD', @pending, 'XX', @now, @session) end
        return { head, delivery, left }
        """);

    // One decision after a turn: the delivery record (when given) lands unless the message is popped in the same step
    // (a record the pop would drop at once is not written); the pop needs the local lease (@held) and the lock's token;
    // an inbox left empty clears the pending mark and, with @release, deletes the lock. One LRANGE reads the head and
    // whether another message follows (one command less than LINDEX before and after the LPOP).
    // Returns -1 lease lost, 0 not at head, 1 popped, 2 popped and completed, 3 completed and the lock released.
    private static readonly LuaScript PopScript = LuaScript.Prepare(
        """
        local function record()
          if @record ~= '' then redis.call('SET', @delivery, @record, 'PX', @ttl) end
        end
        if @held ~= '1' or (@fenced == '1' and redis.call('GET', @fence) ~= @token) then
          record()
          return -1
        end
        local front = redis.call('LRANGE', @inbox, 0, 1)
        local prefix = '{"id":"' .. @id .. '"'
        if not front[1] or string.sub(front[1], 1, #prefix) ~= prefix then
          record()
          return 0
        end
        redis.call('LPOP', @inbox)
        if @clean ~= '1' then redis.call('DEL', @delivery, @attempts) end
        if @complete ~= '1' or front[2] then return 1 end
        redis.call('ZREM', @pending, @session)
        redis.call('HDEL', @runs, @session)
        if @release == '1' and @fenced == '1' then
          redis.call('DEL', @fence)
          return 3
        end
        return 2
        """);

    // KEYS (by name): inbox, pending. ARGV: now, session, count, then count payloads (oldest first) and count ids.
    private const string RequeueScript =
        """
        local n = tonumber(ARGV[3])
        local head = redis.call('LINDEX', KEYS[1], 0)
        for i = n, 1, -1 do
          local id = ARGV[3 + n + i]
          local prefix = '{"id":"' .. id .. '"'
          if not head or string.sub(head, 1, #prefix) ~= prefix then
            redis.call('LPUSH', KEYS[1], ARGV[3 + i])
            head = ARGV[3 + i]
          end
          redis.call('DEL', ARGV[4 + n + n] .. id)
        end
        if redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2]) == 1 then return 1 end
        return 0
        """;

    private static readonly LuaScript CompleteScript = LuaScript.Prepare(
        """
        if redis.call('LLEN', @inbox) == 0 then
          redis.call('ZREM', @pending, @session)
          redis.call('HDEL', @runs, @session)
          return 1
        end
        return 0
        """);

    private static readonly LuaScript GetRunScript = LuaScript.Prepare(
        """
        if not redis.call('ZSCORE', @pending, @session) then return '' end
        return redis.call('HGET', @runs, @session)
        """);

    private static readonly LuaScript TouchScript = LuaScript.Prepare(
        "return redis.call('ZADD', @pending, 'XX', @now, @session)");

    private static readonly LuaScript FailureScript = LuaScript.Prepare(
        """
        local n = redis.call('INCR', @attempts)
        redis.call('PEXPIRE', @attempts, @ttl)
        return n
        """);

    private static readonly LuaScript DeadLetterScript = LuaScript.Prepare(
        """
        redis.call('HSET', @letters, @id, @entry)
        redis.call('ZADD', @order, @now, @id)
        local excess = redis.call('ZCARD', @order) - tonumber(@cap)
        if excess > 0 then
          for _, old in ipairs(redis.call('ZPOPMIN', @order, excess)) do redis.call('HDEL', @letters, old) end
        end
        return 1
        """);

    private IDatabase Db => redis.GetDatabase();

    public Task<AppendOutcome> AppendIfNewAsync(string idempotencyKey, TimeSpan dedupeTtl, string sessionKey, ChannelMessage message, CancellationToken cancellationToken)
        => AppendIfNewAsync(idempotencyKey, dedupeTtl, sessionKey, message, runId: null, cancellationToken);

    public async Task<AppendOutcome> AppendIfNewAsync(string idempotencyKey, TimeSpan dedupeTtl, string sessionKey, ChannelMessage message, string? runId, CancellationToken cancellationToken)
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
            runs = keys.Runs,
            marker = ISessionStore.SchedulingMarker + nodeId + "@",
            job = runId is null ? string.Empty : ISessionStore.RunIdSeparator + runId,
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

    public Task<InboxHead?> PeekAsync(string sessionKey, CancellationToken cancellationToken)
        => PeekAsync(sessionKey, touch: true, cancellationToken);

    public async Task<InboxHead?> PeekAsync(string sessionKey, bool touch, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(PeekScript, new
        {
            inbox = keys.Inbox(sessionKey),
            deliveryPrefix = keys.DeliveryPrefix,
            attemptsPrefix = keys.AttemptsPrefix,
            pending = keys.Pending,
            now = Now(),
            session = sessionKey,
            touch = touch ? "1" : "0",
        }).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var message = MessageSerializer.Deserialize(parts[0].ToString());
        var delivery = parts.Length > 1 && !parts[1].IsNull ? JsonSerializer.Deserialize<DeliveryRecord>(parts[1].ToString(), MessageSerializer.Options) : null;
        return new InboxHead(message, delivery, Clean: parts.Length > 2 && (int)parts[2] == 0);
    }

    public Task<PopOutcome> PopAsync(string sessionKey, string messageId, ISessionLease lease, CancellationToken cancellationToken)
        => PopAsync(sessionKey, messageId, lease, delivery: null, TimeSpan.Zero, PopCompletion.None, cancellationToken);

    public async Task<PopOutcome> PopAsync(string sessionKey, string messageId, ISessionLease lease, DeliveryRecord? delivery, TimeSpan deliveryTtl, PopCompletion completion, CancellationToken cancellationToken, bool clean = false)
    {
        var fence = lease.FenceKey;
        var release = completion == PopCompletion.CompleteAndRelease && fence is not null && lease is IStoreReleasableLease;
        var result = (int)await Db.ScriptEvaluateAsync(PopScript, new
        {
            held = lease.IsHeld ? "1" : "0",
            fenced = fence is null ? "0" : "1",
            fence = (RedisKey)(fence ?? keys.Lock(sessionKey).ToString()),
            token = lease.Token,
            inbox = keys.Inbox(sessionKey),
            id = messageId,
            delivery = keys.Delivery(messageId),
            attempts = keys.Attempts(messageId),
            record = delivery is null ? string.Empty : JsonSerializer.Serialize(delivery, MessageSerializer.Options),
            ttl = Math.Max(1, (long)deliveryTtl.TotalMilliseconds),
            complete = completion == PopCompletion.None ? "0" : "1",
            release = release ? "1" : "0",
            clean = clean ? "1" : "0",
            pending = keys.Pending,
            runs = keys.Runs,
            session = sessionKey,
        }).ConfigureAwait(false);
        if (result == 3)
        {
            ((IStoreReleasableLease)lease).ReleasedByStore();
        }

        return result switch
        {
            1 => PopOutcome.Popped,
            2 or 3 => PopOutcome.Completed,
            -1 => PopOutcome.LeaseLost,
            _ => PopOutcome.NotAtHead,
        };
    }

    public Task RecordDeliveryAsync(string messageId, DeliveryRecord record, TimeSpan ttl, CancellationToken cancellationToken)
        => Db.StringSetAsync(keys.Delivery(messageId), JsonSerializer.Serialize(record, MessageSerializer.Options), ttl);

    public async Task<long> CountFailureAsync(string messageId, CancellationToken cancellationToken)
        => (long)await Db.ScriptEvaluateAsync(FailureScript, new { attempts = keys.Attempts(messageId), ttl = (long)AttemptsTtl.TotalMilliseconds }).ConfigureAwait(false);

    public async Task<bool> RequeueAtHeadAsync(string sessionKey, IReadOnlyList<ChannelMessage> messages, CancellationToken cancellationToken)
    {
        var args = new List<RedisValue> { Now(), sessionKey, messages.Count };
        args.AddRange(messages.Select(m => (RedisValue)MessageSerializer.Serialize(m)));
        args.AddRange(messages.Select(m => (RedisValue)m.Id));
        args.Add(keys.DeliveryPrefix);
        var result = await Db.ScriptEvaluateAsync(RequeueScript, [keys.Inbox(sessionKey), keys.Pending], [.. args]).ConfigureAwait(false);
        return (int)result == 1;
    }

    public Task<long> CountAsync(string sessionKey, CancellationToken cancellationToken)
        => Db.ListLengthAsync(keys.Inbox(sessionKey));

    public async Task<bool> TryCompleteAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var result = (int)await Db.ScriptEvaluateAsync(CompleteScript, new
        {
            inbox = keys.Inbox(sessionKey),
            pending = keys.Pending,
            runs = keys.Runs,
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

    public Task SetRunAsync(string sessionKey, string jobId, CancellationToken cancellationToken)
        => Db.HashSetAsync(keys.Runs, sessionKey, jobId);

    public async Task<string?> GetRunAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var value = await Db.ScriptEvaluateAsync(GetRunScript, new { pending = keys.Pending, runs = keys.Runs, session = sessionKey }).ConfigureAwait(false);
        return value.IsNull ? null : value.ToString();
    }

    public Task<bool> IsLockedAsync(string sessionKey, CancellationToken cancellationToken)
        => Db.KeyExistsAsync(keys.Lock(sessionKey));

    public Task DeadLetterAsync(string sessionKey, ChannelMessage message, string reason, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var entry = JsonSerializer.Serialize(new DeadLetter(message.Id, sessionKey, reason, at, message), MessageSerializer.Options);
        return Db.ScriptEvaluateAsync(DeadLetterScript, new
        {
            letters = keys.DeadLetters,
            order = keys.DeadLetterOrder,
            id = message.Id,
            entry,
            now = at.ToUnixTimeMilliseconds(),
            cap = DeadLetterCap,
        });
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        var ids = await Db.SortedSetRangeByRankAsync(keys.DeadLetterOrder, 0, max - 1, Order.Descending).ConfigureAwait(false);
        if (ids.Length == 0)
        {
            return [];
        }

        var entries = await Db.HashGetAsync(keys.DeadLetters, ids).ConfigureAwait(false);
        return entries.Where(e => !e.IsNull).Select(e => JsonSerializer.Deserialize<DeadLetter>(e.ToString(), MessageSerializer.Options)!).ToList();
    }

    public async Task<(DeadLetter Letter, bool NeedsRun)?> ReplayDeadLetterAsync(string id, CancellationToken cancellationToken)
    {
        var entry = await Db.HashGetAsync(keys.DeadLetters, id).ConfigureAwait(false);
        if (entry.IsNull)
        {
            return null;
        }

        var letter = JsonSerializer.Deserialize<DeadLetter>(entry.ToString(), MessageSerializer.Options)!;
        await Db.KeyDeleteAsync(keys.Attempts(letter.Message.Id)).ConfigureAwait(false);
        var needsRun = await RequeueAtHeadAsync(letter.SessionKey, [letter.Message], cancellationToken).ConfigureAwait(false);
        var tx = Db.CreateTransaction();
        _ = tx.HashDeleteAsync(keys.DeadLetters, id);
        _ = tx.SortedSetRemoveAsync(keys.DeadLetterOrder, id);
        await tx.ExecuteAsync().ConfigureAwait(false);
        return (letter, needsRun);
    }

    public Task PingAsync(CancellationToken cancellationToken)
        => redis.IsConnected // no connection: fail now, not after the command's timeout (the PING would wait in the backlog)
            ? Db.PingAsync()
            : Task.FromException(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Not connected to Redis.", null, CommandStatus.Unknown));

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
