using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>The hub's Redis key layout, all under <see cref="HubOptions.KeyPrefix"/>.</summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public RedisKey Dedupe(string idempotencyKey) => Prefix + "dedupe:" + idempotencyKey;

    public RedisKey Inbox(string sessionKey) => Prefix + "inbox:" + sessionKey;

    public RedisKey Pending => Prefix + "pending";

    public RedisKey DeadLetters => Prefix + "deadletter";

    public RedisKey State(string key) => Prefix + "state:" + key;

    public RedisKey Transcript(string sessionKey) => Prefix + "transcript:" + sessionKey;

    public RedisKey Nodes => Prefix + "nodes";

    public RedisKey Lock(string sessionKey) => Prefix + "lock:" + sessionKey;

    public string HangfirePrefix => Prefix + "hangfire:";
}
