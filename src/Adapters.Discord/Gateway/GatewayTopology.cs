namespace OpenClaw.Channels.Discord;

/// <summary>How the bot's gateway is cut into shards, as the cluster runs it.</summary>
/// <param name="BotKey">The bot's id in lease and state keys (the application id, or the bot user id).</param>
/// <param name="Url">The gateway URL to identify on.</param>
/// <param name="ShardCount">Number of shards, at least 1.</param>
/// <param name="MaxConcurrency"><c>session_start_limit.max_concurrency</c>: identify buckets, at least 1.</param>
internal sealed record GatewayTopology(string BotKey, string Url, int ShardCount, int MaxConcurrency)
{
    /// <summary>The lease resource of shard <paramref name="shardId"/>, e.g. <c>discord:123:shard:0/2</c>.</summary>
    public string LeaseResource(int shardId) => FormattableString.Invariant($"discord:{BotKey}:shard:{shardId}/{ShardCount}");

    /// <summary>The state-store key of shard <paramref name="shardId"/>'s resumable session.</summary>
    public string SessionKey(int shardId) => LeaseResource(shardId) + ":session";

    /// <summary>The state-store key of the shard count the cluster agreed on after a 4011.</summary>
    public static string ShardCountKey(string botKey) => string.Concat("discord:", botKey, ":shards");
}
