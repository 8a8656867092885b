using StackExchange.Redis;

namespace OpenClaw.Channels.Cron;

/// <summary>The cron lane's Redis keys, under <see cref="CronNodeOptions.KeyPrefix"/>.</summary>
internal sealed class CronKeys(string prefix)
{
    public RedisKey Jobs => prefix + "cron:jobs";

    public RedisKey LastFire => prefix + "cron:lastfire";

    /// <summary>Hash: job id → Unix seconds; fires at or before it that had not started when a start found missed fires are stale.</summary>
    public RedisKey StaleUntil => prefix + "cron:stale-until";

    /// <summary>Run history of earlier versions (a list in end order); read, never written.</summary>
    public RedisKey Runs(string jobId) => prefix + "cron:runs:" + jobId;

    /// <summary>Run history: sorted set scored by fire time (Unix ms).</summary>
    public RedisKey History(string jobId) => prefix + "cron:history:" + jobId;

    public RedisKey Fire(string jobId, string fireKey) => prefix + "cron:fire:" + jobId + ":" + fireKey;

    public RedisKey FireRun(string jobId, string fireKey) => prefix + "cron:fire-run:" + jobId + ":" + fireKey;

    public RedisKey Running(string jobId) => prefix + "cron:running:" + jobId;

    public RedisChannel Changed => RedisChannel.Literal(prefix + "cron:changed");
}
