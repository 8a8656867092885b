using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Replies;

/// <summary>Passive-reply slots in Redis, so the node that ran a turn can hand its answer to the node holding the
/// callback. A slot is a hash <c>{prefix}passive:{key}</c> with the current generation in field <c>gen</c> and, per
/// generation <c>g</c>, the fields <c>s:g</c> (state: open, answered, taken, delivered, released, expired, withdrawn),
/// <c>d:g</c> (deadline, Unix ms), <c>a:g</c> (answer) and <c>n:g</c> (the node of the callback that opened or took it);
/// it lives a little past its window. Every state change is one Lua script, so the run's claim (open and before the
/// deadline → answered) and the callback's expiry (open → expired) cannot both win, nor the callback's take (answered →
/// taken) and the run's withdrawal (answered or taken → withdrawn). The callback confirms (taken → delivered) once the
/// answer is on its HTTP response; the run waits for that (<see cref="AwaitDeliveryAsync"/>) until the deadline plus
/// <c>confirmMargin</c>, or less when the callback's node left the cluster, and then withdraws. A claimed generation
/// survives a retry that opens the key again. Waiters are woken by <c>PUBLISH {prefix}passive:{key}</c> (the
/// generation) and read the hash, so a missed message only delays them to their next look. Works on any server speaking
/// Redis with Lua and pub/sub (Redis, Garnet).</summary>
/// <param name="redis">The connection.</param>
/// <param name="keyPrefix">The hub's key prefix.</param>
/// <param name="time">Clock of the deadlines.</param>
/// <param name="nodeId">This node's id, recorded as the callback's node.</param>
/// <param name="liveNodes">The cluster's live nodes (the node registry); null: never ends a wait early.</param>
/// <param name="confirmMargin">How long past the deadline the run waits for the confirmation; 2 s when null.</param>
internal sealed class RedisPassiveReplyHandover(
    IConnectionMultiplexer redis,
    string keyPrefix,
    TimeProvider time,
    string nodeId = "",
    Func<CancellationToken, Task<IReadOnlyList<string>>>? liveNodes = null,
    TimeSpan? confirmMargin = null) : IPassiveReplyHandover
{
    /// <summary>How long a slot's hash outlives its window (a late claim or retry still finds it decided).</summary>
    private const long GraceMs = 30_000;

    /// <summary>How often a run waiting for the confirmation looks at the slot and the live nodes.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // KEYS[1] slot; ARGV[1] new gen, ARGV[2] window ms, ARGV[3] now ms, ARGV[4] grace ms, ARGV[5] node.
    // Returns {gen, created (1/0), remaining ms}.
    private const string OpenScript = """
        local now = tonumber(ARGV[3])
        local cur = redis.call('HGET', KEYS[1], 'gen')
        if cur then
          local state = redis.call('HGET', KEYS[1], 's:' .. cur)
          if state == 'open' then
            local deadline = tonumber(redis.call('HGET', KEYS[1], 'd:' .. cur))
            if deadline > now then
              return {cur, 0, deadline - now}
            end
          end
          if state ~= 'answered' and state ~= 'taken' then
            redis.call('HDEL', KEYS[1], 's:' .. cur, 'd:' .. cur, 'a:' .. cur, 'n:' .. cur)
          end
        end
        local g = ARGV[1]
        redis.call('HSET', KEYS[1], 'gen', g, 's:' .. g, 'open', 'd:' .. g, now + tonumber(ARGV[2]), 'n:' .. g, ARGV[5])
        local keep = tonumber(ARGV[2]) + tonumber(ARGV[4])
        if redis.call('PTTL', KEYS[1]) < keep then
          redis.call('PEXPIRE', KEYS[1], keep)
        end
        return {g, 1, tonumber(ARGV[2])}
        """;

    // KEYS[1] slot; ARGV[1] gen, ARGV[2] new state (answered / released), ARGV[3] answer, ARGV[4] now ms. Returns 1 when claimed.
    private const string ClaimScript = """
        local g = ARGV[1]
        if redis.call('HGET', KEYS[1], 's:' .. g) ~= 'open' then
          return 0
        end
        if tonumber(redis.call('HGET', KEYS[1], 'd:' .. g)) <= tonumber(ARGV[4]) then
          return 0
        end
        redis.call('HSET', KEYS[1], 's:' .. g, ARGV[2], 'a:' .. g, ARGV[3])
        return 1
        """;

    // KEYS[1] slot; ARGV[1] gen, ARGV[2] op, ARGV[3] node. Ops: 'peek'; 'finish' (the callback's wait ended: open →
    // expired, answered → taken by ARGV[3]); 'abandon' (the callback's request is gone: open → expired, answered →
    // withdrawn); 'close' (open → expired); 'confirm' (taken → delivered); 'withdraw' (answered / taken → withdrawn).
    // Returns {state, answer (only to the finish that took it), node, deadline}; state 'gone' when not there.
    private const string StepScript = """
        local g = ARGV[1]
        local op = ARGV[2]
        local state = redis.call('HGET', KEYS[1], 's:' .. g)
        if not state then
          return {'gone', '', '', '0'}
        end
        local answer = ''
        local new = nil
        if state == 'open' and (op == 'finish' or op == 'abandon' or op == 'close') then
          new = 'expired'
        elseif state == 'answered' and op == 'finish' then
          new = 'taken'
          answer = redis.call('HGET', KEYS[1], 'a:' .. g) or ''
          redis.call('HSET', KEYS[1], 'n:' .. g, ARGV[3])
        elseif state == 'answered' and op == 'abandon' then
          new = 'withdrawn'
        elseif state == 'taken' and op == 'confirm' then
          new = 'delivered'
        elseif (state == 'answered' or state == 'taken') and op == 'withdraw' then
          new = 'withdrawn'
        end
        if new then
          redis.call('HSET', KEYS[1], 's:' .. g, new)
          state = new
        end
        return {state, answer, redis.call('HGET', KEYS[1], 'n:' .. g) or '', redis.call('HGET', KEYS[1], 'd:' .. g) or '0'}
        """;

    private readonly TimeSpan _confirmMargin = confirmMargin ?? TimeSpan.FromSeconds(2);

    private IDatabase Db => redis.GetDatabase();

    public async Task<PassiveReplySlot> OpenAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var gen = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            OpenScript,
            [SlotKey(key)],
            [gen, (long)Math.Ceiling(window.TotalMilliseconds), NowMs(), GraceMs, nodeId]).ConfigureAwait(false))!;
        return new PassiveReplySlot(result[0] + "|" + key, (long)result[1] == 1, TimeSpan.FromMilliseconds((long)result[2]));
    }

    public async Task<string?> WaitAsync(string slotId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (gen, key) = Parse(slotId);
        await using (var wake = await PassiveReplyWakeUp.SubscribeAsync(redis, Channel(key), gen).ConfigureAwait(false))
        {
            // Subscribed before looking, so a claim made in between is either seen by the peek or wakes the wait.
            var peek = await StepAsync(key, gen, "peek").ConfigureAwait(false);
            if (peek.State == "open" && timeout > TimeSpan.Zero)
            {
                await wake.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            }
        }

        var aborted = cancellationToken.IsCancellationRequested;
        var final = await StepAsync(key, gen, aborted ? "abandon" : "finish").ConfigureAwait(false);
        if (aborted && final.State == "withdrawn")
        {
            await PublishAsync(key, gen).ConfigureAwait(false); // wake the run: it sends through the API
        }

        return final.State == "taken" && final.Answer.Length > 0 ? final.Answer : null;
    }

    public async Task<bool> ConfirmAsync(string slotId, CancellationToken cancellationToken)
    {
        var (gen, key) = Parse(slotId);
        var step = await StepAsync(key, gen, "confirm").ConfigureAwait(false);
        await PublishAsync(key, gen).ConfigureAwait(false);
        return step.State == "delivered";
    }

    public async Task CloseAsync(string slotId, CancellationToken cancellationToken)
    {
        var (gen, key) = Parse(slotId);
        await StepAsync(key, gen, "close").ConfigureAwait(false);
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
            await PublishAsync(key, gen).ConfigureAwait(false);
        }

        return claimed;
    }

    public async Task<bool> AwaitDeliveryAsync(string slotId, CancellationToken cancellationToken)
    {
        var (gen, key) = Parse(slotId);
        try
        {
            await using var wake = await PassiveReplyWakeUp.SubscribeAsync(redis, Channel(key), gen).ConfigureAwait(false);
            while (true)
            {
                var step = await StepAsync(key, gen, "peek").ConfigureAwait(false);
                if (step.State is not ("answered" or "taken"))
                {
                    return step.State == "delivered";
                }

                var left = DateTimeOffset.FromUnixTimeMilliseconds(step.DeadlineMs) + _confirmMargin - time.GetUtcNow();
                if (left <= TimeSpan.Zero || await HasLeftAsync(step.Node, cancellationToken).ConfigureAwait(false))
                {
                    return await WithdrawAsync(key, gen).ConfigureAwait(false);
                }

                await wake.WaitAsync(left < PollInterval ? left : PollInterval, time, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody waits for the answer any more: withdraw it unless it was delivered (the caller's retry sends it).
            if (await WithdrawAsync(key, gen).ConfigureAwait(false))
            {
                return true;
            }

            throw;
        }
    }

    /// <summary>Withdraws a claimed answer that was not confirmed.</summary>
    /// <returns>True when it had been delivered after all.</returns>
    private async Task<bool> WithdrawAsync(string key, string gen)
        => (await StepAsync(key, gen, "withdraw").ConfigureAwait(false)).State == "delivered";

    /// <summary>True when <paramref name="node"/> (the callback's) is no longer among the live nodes.</summary>
    private async Task<bool> HasLeftAsync(string node, CancellationToken cancellationToken)
    {
        if (liveNodes is null || node.Length == 0 || node == nodeId)
        {
            return false;
        }

        try
        {
            return !(await liveNodes(cancellationToken).ConfigureAwait(false)).Contains(node, StringComparer.Ordinal);
        }
        catch (RedisException)
        {
            return false; // the registry is unreachable: wait for the deadline instead
        }
    }

    private async Task<Step> StepAsync(string key, string gen, string op)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(StepScript, [SlotKey(key)], [gen, op, nodeId]).ConfigureAwait(false))!;
        return new Step(result[0].ToString(), result[1].ToString(), result[2].ToString(), long.TryParse(result[3].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : 0);
    }

    private Task PublishAsync(string key, string gen) => redis.GetSubscriber().PublishAsync(Channel(key), gen);

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

    private readonly record struct Step(string State, string Answer, string Node, long DeadlineMs);
}
