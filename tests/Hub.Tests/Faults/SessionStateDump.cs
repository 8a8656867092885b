using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>What a fault test prints when it fails: for every session still pending (or named), its pending mark's age,
/// its inbox (length and head), its run marker in the runs hash with that Hangfire job's state and queue, and its lock
/// key with the time it has left. Read from the test's own redis-server under the hub's key prefix.</summary>
public static class SessionStateDump
{
    /// <summary>One line per pending session (plus <paramref name="also"/>), or "no session pending".</summary>
    /// <param name="redis">The test's connection.</param>
    /// <param name="prefix">The hubs' <c>Hub:KeyPrefix</c>, e.g. <c>faults:</c>.</param>
    /// <param name="also">Sessions to describe even when not pending.</param>
    public static async Task<string> DescribeAsync(IConnectionMultiplexer redis, string prefix, IEnumerable<string>? also = null)
    {
        var db = redis.GetDatabase();
        var text = new StringBuilder();
        try
        {
            var pending = await db.SortedSetRangeByRankWithScoresAsync(prefix + "pending");
            var sessions = pending.Select(p => p.Element.ToString()).Concat(also ?? []).Distinct(StringComparer.Ordinal).ToList();
            var scores = pending.ToDictionary(p => p.Element.ToString(), p => p.Score, StringComparer.Ordinal);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (sessions.Count == 0)
            {
                return "no session pending";
            }

            foreach (var session in sessions)
            {
                var inbox = (RedisKey)(prefix + "inbox:" + session);
                var length = await db.ListLengthAsync(inbox);
                var head = length > 0 ? (string?)await db.ListGetByIndexAsync(inbox, 0) : null;
                var run = (string?)await db.HashGetAsync(prefix + "runs", session);
                var lockKey = (RedisKey)(prefix + "lock:" + session);
                var lockTtl = await db.KeyTimeToLiveAsync(lockKey);
                text.Append(CultureInfo.InvariantCulture, $"{session}: pending {(scores.TryGetValue(session, out var score) ? $"since {now - (long)score} ms" : "no")}, inbox {length}");
                if (head is not null)
                {
                    text.Append(CultureInfo.InvariantCulture, $" (head {head[..Math.Min(60, head.Length)]}…)");
                }

                text.Append(CultureInfo.InvariantCulture, $", run {run ?? "none"}");
                if (run is not null && run.StartsWith("sched:", StringComparison.Ordinal) && run.LastIndexOf('#') is var named and > 0)
                {
                    run = run[(named + 1)..]; // the marker names its job
                }

                if (run is not null && !run.StartsWith("sched:", StringComparison.Ordinal))
                {
                    var job = prefix + "hangfire:job:" + run;
                    var state = (string?)await db.HashGetAsync(job, "State");
                    var fetched = (string?)await db.HashGetAsync(job, "Fetched");
                    var stateQueue = (string?)await db.HashGetAsync(job + ":state", "Queue");
                    text.Append(CultureInfo.InvariantCulture, $" (state {state ?? "none"}, queue {stateQueue ?? "-"}, fetched {fetched ?? "no"})");
                }

                text.Append(CultureInfo.InvariantCulture, $", lock {(await db.StringGetAsync(lockKey) is { IsNull: false } ? $"held, {lockTtl?.TotalMilliseconds ?? -1:0} ms left" : "free")}").Append('\n');
            }
        }
        catch (RedisException ex)
        {
            text.Append("(state unreadable: ").Append(ex.Message).Append(')');
        }

        return text.ToString();
    }
}
