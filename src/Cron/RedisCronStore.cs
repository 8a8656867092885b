using StackExchange.Redis;

namespace OpenClaw.Channels.Cron;

/// <summary>Redis <see cref="ICronStore"/>: hash <c>cron:jobs</c> (id → JSON), hashes <c>cron:lastfire</c> and
/// <c>cron:stale-until</c> (id → Unix seconds), capped sorted sets <c>cron:history:{id}</c> (score: fire time in Unix ms; the lists
/// <c>cron:runs:{id}</c> of earlier versions are still read), fire keys <c>cron:fire:{id}:{unixSeconds}</c> (a pending
/// claim <c>{claimant}</c>, then <c>done:{hangfireJobId}</c>), <c>cron:fire-run:{id}:{unixSeconds}</c> (the run that
/// started the fire), <c>cron:running:{id}</c> leases (value-checked extension
/// and release) and pub/sub channel <c>cron:changed</c>.</summary>
internal sealed class RedisCronStore(IConnectionMultiplexer redis, CronKeys keys, TimeProvider time) : ICronStore
{
    private const string DonePrefix = "done:";

    private static readonly LuaScript ClaimScript = LuaScript.Prepare(
        """
        local v = redis.call('GET', @key)
        if not v then
          redis.call('SET', @key, @claimant, 'PX', @ttl)
          return 'claimed'
        end
        if string.sub(v, 1, 5) == 'done:' then return 'done' end
        if v == @claimant then return 'claimed' end
        return 'pending'
        """);

    private static readonly LuaScript CompleteScript = LuaScript.Prepare(
        """
        local v = redis.call('GET', @key)
        if v and v ~= @claimant then return 0 end
        redis.call('SET', @key, @done, 'PX', @ttl)
        return 1
        """);

    private static readonly LuaScript ReleaseScript = LuaScript.Prepare(
        """
        if redis.call('GET', @key) == @claimant then redis.call('DEL', @key) end
        return 1
        """);

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
        await Db.HashDeleteAsync(keys.StaleUntil, jobId).ConfigureAwait(false);
        await Db.KeyDeleteAsync([keys.Runs(jobId), keys.History(jobId)]).ConfigureAwait(false);
        await Db.PublishAsync(keys.Changed, jobId).ConfigureAwait(false);
        return existed;
    }

    public async Task<CronFireClaim> TryClaimFireAsync(string jobId, string fireKey, string claimant, TimeSpan pendingTtl, CancellationToken cancellationToken)
    {
        var result = (string?)await Db.ScriptEvaluateAsync(ClaimScript, new { key = keys.Fire(jobId, fireKey), claimant, ttl = (long)pendingTtl.TotalMilliseconds }).ConfigureAwait(false);
        return result switch
        {
            "claimed" => CronFireClaim.Claimed,
            "done" => CronFireClaim.Done,
            _ => CronFireClaim.Pending,
        };
    }

    public async Task<bool> CompleteFireAsync(string jobId, string fireKey, string claimant, string hangfireJobId, TimeSpan ttl, CancellationToken cancellationToken)
        => (int)await Db.ScriptEvaluateAsync(CompleteScript, new { key = keys.Fire(jobId, fireKey), claimant, done = DonePrefix + hangfireJobId, ttl = (long)ttl.TotalMilliseconds }).ConfigureAwait(false) == 1;

    public Task ReleaseFireAsync(string jobId, string fireKey, string claimant, CancellationToken cancellationToken)
        => Db.ScriptEvaluateAsync(ReleaseScript, new { key = keys.Fire(jobId, fireKey), claimant });

    public Task<bool> TryStartFireRunAsync(string jobId, string fireKey, string runId, TimeSpan ttl, CancellationToken cancellationToken)
        => Db.StringSetAsync(keys.FireRun(jobId, fireKey), runId, ttl, When.NotExists);

    public Task SetLastFireAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken)
        => Db.ScriptEvaluateAsync(RaiseScript, new { hash = keys.LastFire, field = jobId, value = fireTimeUtc.ToUnixTimeSeconds() });

    public async Task<DateTimeOffset?> GetLastFireAsync(string jobId, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(keys.LastFire, jobId).ConfigureAwait(false);
        return !value.IsNull && value.TryParse(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    public Task SetStaleUntilAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken)
        => Db.ScriptEvaluateAsync(RaiseScript, new { hash = keys.StaleUntil, field = jobId, value = fireTimeUtc.ToUnixTimeSeconds() });

    public async Task<DateTimeOffset?> GetStaleUntilAsync(string jobId, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(keys.StaleUntil, jobId).ConfigureAwait(false);
        return !value.IsNull && value.TryParse(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    public async Task<CronLease?> TryLeaseAsync(string jobId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var key = keys.Running(jobId);
        if (!await Db.LockTakeAsync(key, owner, ttl).ConfigureAwait(false))
        {
            return null;
        }

        var db = Db;
        return new CronLease(ttl, _ => db.LockExtendAsync(key, owner, ttl), () => db.LockReleaseAsync(key, owner), time);
    }

    public async Task<string?> GetLeaseHolderAsync(string jobId, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(keys.Running(jobId)).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : value.ToString();
    }

    public async Task AddRunAsync(CronRun run, int limit, CancellationToken cancellationToken)
    {
        var key = keys.History(run.JobId);
        var batch = Db.CreateBatch();
        var add = batch.SortedSetAddAsync(key, CronJson.Serialize(run), run.FireTimeUtc.ToUnixTimeMilliseconds());
        var trim = batch.SortedSetRemoveRangeByRankAsync(key, 0, -(limit + 1));
        batch.Execute();
        await Task.WhenAll(add, trim).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CronRun>> GetRunsAsync(string jobId, int max, CancellationToken cancellationToken)
    {
        var values = await Db.SortedSetRangeByRankAsync(keys.History(jobId), 0, max - 1, Order.Descending).ConfigureAwait(false);
        var legacy = await Db.ListRangeAsync(keys.Runs(jobId), 0, max - 1).ConfigureAwait(false);
        return values.Concat(legacy)
            .Select(v => CronJson.Deserialize<CronRun>(v.ToString())!)
            .OrderByDescending(r => r.FireTimeUtc)
            .ThenByDescending(r => r.StartedUtc)
            .Take(max)
            .ToList();
    }
}
