using Hangfire.Common;
using Hangfire.Storage;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A job's hash as Hangfire.Redis writes it (invocation data, parameters, <c>CreatedAt</c>), held by the
/// connection that created it (<c>IStorageConnection.CreateExpiredJob</c>) until its first state's script writes it
/// (<see cref="LeanWriteTransaction"/>) with that state's name and no TTL when the state persists the job.</summary>
internal sealed class NewJob
{
    // KEYS: job hash. ARGV: ttl seconds (0: none), then field/value pairs.
    private const string WriteScript =
        """
        local unpack = unpack or table.unpack
        redis.call('HMSET', KEYS[1], unpack(ARGV, 2))
        if tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
        return 1
        """;

    /// <summary>The hash of <paramref name="job"/> created at <paramref name="createdAt"/>, expiring after
    /// <paramref name="expireIn"/> unless a state persists it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> or <paramref name="parameters"/> is null.</exception>
    public NewJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        Fields = FieldsOf(job, parameters, createdAt);
        ExpireIn = expireIn;
    }

    /// <summary>The hash's fields; a state set before the write adds <c>State</c>, a parameter its own field.</summary>
    public Dictionary<string, string> Fields { get; }

    /// <summary>The job's TTL, or null once a state persisted it.</summary>
    public TimeSpan? ExpireIn { get; set; }

    /// <summary>The fields of a job's hash, as Hangfire.Redis writes them.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> or <paramref name="parameters"/> is null.</exception>
    public static Dictionary<string, string> FieldsOf(Job job, IDictionary<string, string> parameters, DateTime createdAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        var invocation = InvocationData.SerializeJob(job);
        var fields = new Dictionary<string, string>(parameters)
        {
            ["Type"] = invocation.Type,
            ["Method"] = invocation.Method,
            ["ParameterTypes"] = invocation.ParameterTypes,
            ["Arguments"] = invocation.Arguments,
            ["CreatedAt"] = JobHelper.SerializeDateTime(createdAt),
        };
        if (invocation.Queue is not null)
        {
            fields["Queue"] = invocation.Queue;
        }

        return fields;
    }

    /// <summary>Writes the hash and its TTL on its own (one script): for a job read or changed before a state was set.</summary>
    /// <param name="redis">The database.</param>
    /// <param name="key">The job's hash key.</param>
    public void Write(IDatabase redis, RedisKey key)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var args = new List<RedisValue> { ExpireIn is { } ttl ? Math.Max(1, (long)ttl.TotalSeconds) : 0 };
        foreach (var (name, value) in Fields)
        {
            args.Add(name);
            args.Add(value ?? string.Empty);
        }

        redis.ScriptEvaluate(WriteScript, [key], [.. args]);
    }
}
