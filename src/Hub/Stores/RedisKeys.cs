using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>The hub's Redis key layout, all under <see cref="HubOptions.KeyPrefix"/>.</summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public RedisKey Dedupe(string idempotencyKey) => Prefix + "dedupe:" + idempotencyKey;

    public RedisKey Inbox(string sessionKey) => Prefix + "inbox:" + sessionKey;

    public RedisKey Pending => Prefix + "pending";

    /// <summary>Hash: dead letter id to its JSON entry.</summary>
    public RedisKey DeadLetters => Prefix + "deadletters";

    /// <summary>Sorted set: dead letter ids by time (Unix ms).</summary>
    public RedisKey DeadLetterOrder => Prefix + "deadletters:at";

    public string DeliveryPrefix => Prefix + "delivery:";

    public RedisKey Delivery(string messageId) => DeliveryPrefix + messageId;

    public string AttemptsPrefix => Prefix + "attempts:";

    public RedisKey Attempts(string messageId) => AttemptsPrefix + messageId;

    /// <summary>Hash: session key to the Hangfire job id of its latest run.</summary>
    public RedisKey Runs => Prefix + "runs";

    public RedisKey State(string key) => Prefix + "state:" + key;

    public RedisKey Transcript(string sessionKey) => Prefix + "transcript:" + sessionKey;

    public RedisKey Nodes => Prefix + "nodes";

    public RedisKey Lock(string sessionKey) => Prefix + "lock:" + sessionKey;

    public string HangfirePrefix => Prefix + "hangfire:";
}
