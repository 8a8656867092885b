using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Cron;

/// <summary>The cron lane's Redis keys, under <see cref="HubOptions.KeyPrefix"/>.</summary>
internal sealed class CronKeys(string prefix)
{
    public RedisKey Jobs => prefix + "cron:jobs";

    public RedisKey LastFire => prefix + "cron:lastfire";

    public RedisKey Runs(string jobId) => prefix + "cron:runs:" + jobId;

    public RedisKey Fire(string jobId, string fireKey) => prefix + "cron:fire:" + jobId + ":" + fireKey;

    public RedisKey Running(string jobId) => prefix + "cron:running:" + jobId;

    public RedisChannel Changed => RedisChannel.Literal(prefix + "cron:changed");
}
