using System.Globalization;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>The counter, set, list and hash writes of <see cref="LeanWriteTransaction"/>, each the command
/// Hangfire.Redis's transaction queues for it.</summary>
internal sealed partial class LeanWriteTransaction
{
    /// <summary>The dashboard's succeeded total, as Hangfire's Succeeded state handler names it.</summary>
    internal const string SucceededTotalKey = "stats:succeeded";

    /// <summary>Hangfire.Redis's sorted set of Processing jobs (its Processing state handler adds and removes them).</summary>
    internal const string ProcessingSet = "processing";

    public override void IncrementCounter(string key)
    {
        if (succeededTotal is not null && key == SucceededTotalKey)
        {
            _succeeded++; // Hangfire's Succeeded state handler: counted after the commit
            return;
        }

        Add("INCR", prefix + key);
    }

    public override void IncrementCounter(string key, TimeSpan expireIn)
    {
        Add("INCR", prefix + key);
        Expire(prefix + key, expireIn);
    }

    public override void DecrementCounter(string key) => Add("DECR", prefix + key);

    public override void DecrementCounter(string key, TimeSpan expireIn)
    {
        Add("DECR", prefix + key);
        Expire(prefix + key, expireIn);
    }

    public override void AddToSet(string key, string value) => AddToSet(key, value, 0);

    public override void AddToSet(string key, string value, double score)
        => Add("ZADD", prefix + key, score.ToString("R", CultureInfo.InvariantCulture), value);

    public override void AddRangeToSet(string key, IList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        var args = new List<RedisValue> { prefix + key };
        foreach (var item in items)
        {
            args.Add("0");
            args.Add(item);
        }

        Add("ZADD", [.. args]);
    }

    public override void RemoveFromSet(string key, string value)
    {
        if (key == ProcessingSet && value is not null && value == processed?.Served)
        {
            // Leaving the Processing state this transaction's job data (not read again) showed: the ZREM is the check
            // that it still is (ProcessedJobCache), before anything is written.
            AddTo(_checks, "?zrem", prefix + key, value);
            return;
        }

        Add("ZREM", prefix + key, value);
    }

    public override void RemoveSet(string key) => Add("DEL", prefix + key);

    public override void InsertToList(string key, string value) => Add("LPUSH", prefix + key, value);

    public override void RemoveFromList(string key, string value) => Add("LREM", prefix + key, "0", value);

    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt)
        => Add("LTRIM", prefix + key, keepStartingFrom.ToString(CultureInfo.InvariantCulture), keepEndingAt.ToString(CultureInfo.InvariantCulture));

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
        => Hash(prefix + key, keyValuePairs);

    public override void RemoveHash(string key) => Add("DEL", prefix + key);

    public override void ExpireHash(string key, TimeSpan expireIn) => Expire(prefix + key, expireIn);

    public override void ExpireList(string key, TimeSpan expireIn) => Expire(prefix + key, expireIn);

    public override void ExpireSet(string key, TimeSpan expireIn) => Expire(prefix + key, expireIn);

    public override void PersistHash(string key) => Add("PERSIST", prefix + key);

    public override void PersistList(string key) => Add("PERSIST", prefix + key);

    public override void PersistSet(string key) => Add("PERSIST", prefix + key);
}
