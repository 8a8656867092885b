using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Cron;

/// <summary>Redis <see cref="ICronStore"/>: hash <c>cron:jobs</c> (id → JSON), hash <c>cron:lastfire</c>
/// (id → Unix seconds), capped lists <c>cron:runs:{id}</c>, <c>SET NX EX</c> fire keys, <c>cron:running:{id}</c>
/// leases (value-checked release) and pub/sub channel <c>cron:changed</c>.</summary>
internal sealed class RedisCronStore(IConnectionMultiplexer redis, CronKeys keys) : ICronStore
{
    private static readonly LuaScript RaiseScript = LuaScript.Prepare(
        """
        local old = tonumber(redis.call('HGET', @hash, @field) or '0')
        if tonumber(@value) > old then redis.call('HSET', @hash, @field, @value) end
        return 1
        """);

    public event Action<string>? Changed;

    private IDatabase Db => redis.GetDatabase();

    public Task StartAsync(CancellationToken cancellationToken)
        => redis.GetSubscriber().SubscribeAsync(keys.Changed, (_, value) => Changed?.Invoke(value.ToString()));

    public async Task<IReadOnlyList<CronJobDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(keys.Jobs).ConfigureAwait(false);
        return entries.Select(e => CronJson.Deserialize<CronJobDefinition>(e.Value.ToString())!).OrderBy(j => j.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<CronJobDefinition?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(keys.Jobs, jobId).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : CronJson.Deserialize<CronJobDefinition>(value.ToString());
    }

    public async Task SaveAsync(CronJobDefinition job, CancellationToken cancellationToken)
    {
        await Db.HashSetAsync(keys.Jobs, job.Id, CronJson.Serialize(job)).ConfigureAwait(false);
        await Db.PublishAsync(keys.Changed, job.Id).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        var existed = await Db.HashDeleteAsync(keys.Jobs, jobId).ConfigureAwait(false);
        await Db.HashDeleteAsync(keys.LastFire, jobId).ConfigureAwait(false);
        await Db.KeyDeleteAsync(keys.Runs(jobId)).ConfigureAwait(false);
        await Db.PublishAsync(keys.Changed, jobId).ConfigureAwait(false);
        return existed;
    }

    public Task<bool> TryClaimFireAsync(string jobId, string fireKey, TimeSpan ttl, CancellationToken cancellationToken)
        => Db.StringSetAsync(keys.Fire(jobId, fireKey), "1", ttl, When.NotExists);

    public Task SetLastFireAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken)
        => Db.ScriptEvaluateAsync(RaiseScript, new { hash = keys.LastFire, field = jobId, value = fireTimeUtc.ToUnixTimeSeconds() });

    public async Task<DateTimeOffset?> GetLastFireAsync(string jobId, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(keys.LastFire, jobId).ConfigureAwait(false);
        return value.TryParse(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    public async Task<IAsyncDisposable?> TryLeaseAsync(string jobId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var key = keys.Running(jobId);
        return await Db.LockTakeAsync(key, owner, ttl).ConfigureAwait(false) ? new Lease(Db, key, owner) : null;
    }

    public async Task AddRunAsync(CronRun run, int limit, CancellationToken cancellationToken)
    {
        var key = keys.Runs(run.JobId);
        await Db.ListLeftPushAsync(key, CronJson.Serialize(run)).ConfigureAwait(false);
        await Db.ListTrimAsync(key, 0, limit - 1).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CronRun>> GetRunsAsync(string jobId, int max, CancellationToken cancellationToken)
    {
        var values = await Db.ListRangeAsync(keys.Runs(jobId), 0, max - 1).ConfigureAwait(false);
        return values.Select(v => CronJson.Deserialize<CronRun>(v.ToString())!).ToList();
    }

    private sealed class Lease(IDatabase db, RedisKey key, string owner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await db.LockReleaseAsync(key, owner).ConfigureAwait(false);
    }
}
