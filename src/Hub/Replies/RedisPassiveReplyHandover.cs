using System.Security.Cryptography;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Replies;

/// <summary>Passive-reply slots in Redis, so the node that ran a turn can hand its answer to the node holding the
/// callback. A slot is a hash <c>{prefix}passive:{key}</c> (fields <c>gen</c>, <c>state</c> open / answered / released /
/// expired, <c>deadline</c> in Unix ms, <c>answer</c>) living a little past its window; every state change is one Lua
/// script, so the run's claim (open and before the deadline → answered) and the callback's expiry (open → expired) cannot
/// both win. The waiter is woken by <c>PUBLISH {prefix}passive:{key}</c> after a claim and reads the answer from the
/// hash, so a missed message only delays it to the end of its window. Works on any server speaking Redis with Lua and
/// pub/sub (Redis, Garnet).</summary>
internal sealed class RedisPassiveReplyHandover(IConnectionMultiplexer redis, string keyPrefix, TimeProvider time) : IPassiveReplyHandover
{
    /// <summary>How long a slot's hash outlives its window (a late claim or retry still finds it decided).</summary>
    private const long GraceMs = 30_000;

    // KEYS[1] slot; ARGV[1] new gen, ARGV[2] window ms, ARGV[3] now ms. Returns {gen, created (1/0), remaining ms}.
    private const string OpenScript = """
        local state = redis.call('HGET', KEYS[1], 'state')
        if state == 'open' then
          local deadline = tonumber(redis.call('HGET', KEYS[1], 'deadline'))
          if deadline > tonumber(ARGV[3]) then
            return {redis.call('HGET', KEYS[1], 'gen'), 0, deadline - tonumber(ARGV[3])}
          end
        end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'gen', ARGV[1], 'state', 'open', 'deadline', tonumber(ARGV[3]) + tonumber(ARGV[2]))
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[4]))
        return {ARGV[1], 1, tonumber(ARGV[2])}
        """;

    // KEYS[1] slot; ARGV[1] gen, ARGV[2] new state (answered / released), ARGV[3] answer, ARGV[4] now ms. Returns 1 when claimed.
    private const string ClaimScript = """
        if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'open' then
          return 0
        end
        if tonumber(redis.call('HGET', KEYS[1], 'deadline')) <= tonumber(ARGV[4]) then
          return 0
        end
        redis.call('HSET', KEYS[1], 'state', ARGV[2], 'answer', ARGV[3])
        return 1
        """;

    // KEYS[1] slot; ARGV[1] gen, ARGV[2] 'finish' (expire an open slot) or 'peek'. Returns {state, answer} ('gone' when
    // the slot is not there any more).
    private const string FinishScript = """
        if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[1] then
          return {'gone', ''}
        end
        local state = redis.call('HGET', KEYS[1], 'state')
        if state == 'open' and ARGV[2] == 'finish' then
          redis.call('HSET', KEYS[1], 'state', 'expired')
          state = 'expired'
        end
        return {state, redis.call('HGET', KEYS[1], 'answer') or ''}
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<PassiveReplySlot> OpenAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var gen = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            OpenScript,
            [SlotKey(key)],
            [gen, (long)Math.Ceiling(window.TotalMilliseconds), NowMs(), GraceMs]).ConfigureAwait(false))!;
        return new PassiveReplySlot(result[0] + "|" + key, (long)result[1] == 1, TimeSpan.FromMilliseconds((long)result[2]));
    }

    public async Task<string?> WaitAsync(string slotId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (gen, key) = Parse(slotId);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = Channel(key);
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> onMessage = (_, value) =>
        {
            if (value == gen)
            {
                woken.TrySetResult();
            }
        };

        // Subscribe before looking, so a claim made in between is either seen by the peek or wakes the wait.
        await subscriber.SubscribeAsync(channel, onMessage).ConfigureAwait(false);
        try
        {
            var (state, _) = await RunFinishAsync(key, gen, "peek").ConfigureAwait(false);
            if (state == "open" && timeout > TimeSpan.Zero)
            {
                try
                {
                    await woken.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel, onMessage).ConfigureAwait(false);
        }

        var (final, answer) = await RunFinishAsync(key, gen, "finish").ConfigureAwait(false);
        return final == "answered" ? answer : null;
    }

    public async Task CloseAsync(string slotId, CancellationToken cancellationToken)
    {
        var (gen, key) = Parse(slotId);
        await RunFinishAsync(key, gen, "finish").ConfigureAwait(false);
    }

    public async Task<bool> TryHandOverAsync(string slotId, string? answer, CancellationToken cancellationToken)
    {
        var (gen, key) = Parse(slotId);
        var claimed = (long)await Db.ScriptEvaluateAsync(
            ClaimScript,
            [SlotKey(key)],
            [gen, answer is null ? "released" : "answered", answer ?? string.Empty, NowMs()]).ConfigureAwait(false) == 1;
        if (claimed)
        {
            await redis.GetSubscriber().PublishAsync(Channel(key), gen).ConfigureAwait(false);
        }

        return claimed;
    }

    private async Task<(string State, string Answer)> RunFinishAsync(string key, string gen, string op)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(FinishScript, [SlotKey(key)], [gen, op]).ConfigureAwait(false))!;
        return (result[0].ToString(), result[1].ToString());
    }

    private static (string Gen, string Key) Parse(string slotId)
    {
        ArgumentException.ThrowIfNullOrEmpty(slotId);
        var bar = slotId.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && bar < slotId.Length - 1
            ? (slotId[..bar], slotId[(bar + 1)..])
            : throw new ArgumentException("Not a passive-reply slot id.", nameof(slotId));
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private RedisKey SlotKey(string key) => keyPrefix + "passive:" + key;

    private RedisChannel Channel(string key) => RedisChannel.Literal(keyPrefix + "passive:" + key);
}
