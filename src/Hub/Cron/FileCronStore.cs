namespace OpenClaw.Channels.Hub.Cron;

/// <summary>Embedded <see cref="ICronStore"/>: everything in memory; definitions, last fire times and run history are
/// also written to <c>{DataDirectory}/cron/state.json</c> (write-then-rename) so they survive restarts. Fire keys and
/// leases live only in memory (one process, no other node).</summary>
internal sealed class FileCronStore : ICronStore
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly State _state;
    private readonly Dictionary<string, (string Value, DateTimeOffset Expires)> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Expires)> _leases = new(StringComparer.Ordinal);

    public FileCronStore(string dataDirectory, TimeProvider time)
    {
        _time = time;
        var directory = Path.Combine(dataDirectory, "cron");
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "state.json");
        _state = File.Exists(_path) ? CronJson.Deserialize<State>(File.ReadAllText(_path)) ?? new State() : new State();
    }

    public event Action<string>? Changed;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<CronJobDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CronJobDefinition>>(_state.Jobs.Values.Select(Copy).OrderBy(j => j.Id, StringComparer.Ordinal).ToList());
        }
    }

    public Task<CronJobDefinition?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_state.Jobs.TryGetValue(jobId, out var job) ? Copy(job) : null);
        }
    }

    public async Task SaveAsync(CronJobDefinition job, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _state.Jobs[job.Id] = Copy(job);
        }

        await SaveFileAsync(cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(job.Id);
    }

    public async Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        bool existed;
        lock (_gate)
        {
            existed = _state.Jobs.Remove(jobId);
            _state.LastFire.Remove(jobId);
            _state.Runs.Remove(jobId);
        }

        await SaveFileAsync(cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(jobId);
        return existed;
    }

    public Task<CronFireClaim> TryClaimFireAsync(string jobId, string fireKey, string claimant, TimeSpan pendingTtl, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var expired in _claims.Where(c => c.Value.Expires <= now).Select(c => c.Key).ToList())
            {
                _claims.Remove(expired);
            }

            var key = jobId + ":" + fireKey;
            if (_claims.TryGetValue(key, out var held))
            {
                return Task.FromResult(held.Value.StartsWith("done:", StringComparison.Ordinal) ? CronFireClaim.Done
                    : held.Value == claimant ? CronFireClaim.Claimed
                    : CronFireClaim.Pending);
            }

            _claims[key] = (claimant, now + pendingTtl);
            return Task.FromResult(CronFireClaim.Claimed);
        }
    }

    public Task<bool> CompleteFireAsync(string jobId, string fireKey, string claimant, string hangfireJobId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var key = jobId + ":" + fireKey;
            if (_claims.TryGetValue(key, out var held) && held.Expires > now && held.Value != claimant)
            {
                return Task.FromResult(false);
            }

            _claims[key] = ("done:" + hangfireJobId, now + ttl);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseFireAsync(string jobId, string fireKey, string claimant, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = jobId + ":" + fireKey;
            if (_claims.TryGetValue(key, out var held) && held.Value == claimant)
            {
                _claims.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryStartFireRunAsync(string jobId, string fireKey, string runId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var key = "run:" + jobId + ":" + fireKey;
            if (_claims.TryGetValue(key, out var held) && held.Expires > now)
            {
                return Task.FromResult(false);
            }

            _claims[key] = (runId, now + ttl);
            return Task.FromResult(true);
        }
    }

    public async Task SetLastFireAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state.LastFire.TryGetValue(jobId, out var old) && old >= fireTimeUtc)
            {
                return;
            }

            _state.LastFire[jobId] = fireTimeUtc;
        }

        await SaveFileAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<DateTimeOffset?> GetLastFireAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<DateTimeOffset?>(_state.LastFire.TryGetValue(jobId, out var value) ? value : null);
        }
    }

    public Task<CronLease?> TryLeaseAsync(string jobId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_leases.TryGetValue(jobId, out var held) && held.Expires > now)
            {
                return Task.FromResult<CronLease?>(null);
            }

            _leases[jobId] = (owner, now + ttl);
            return Task.FromResult<CronLease?>(new CronLease(ttl, _ => Task.FromResult(ExtendLease(jobId, owner, ttl)), () => ReleaseLease(jobId, owner), _time));
        }
    }

    public Task<string?> GetLeaseHolderAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_leases.TryGetValue(jobId, out var held) && held.Expires > _time.GetUtcNow() ? held.Owner : null);
        }
    }

    public async Task AddRunAsync(CronRun run, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_state.Runs.TryGetValue(run.JobId, out var runs))
            {
                runs = [];
                _state.Runs[run.JobId] = runs;
            }

            runs.Insert(0, run);
            runs.Sort((x, y) => y.FireTimeUtc != x.FireTimeUtc ? y.FireTimeUtc.CompareTo(x.FireTimeUtc) : y.StartedUtc.CompareTo(x.StartedUtc));
            if (runs.Count > limit)
            {
                runs.RemoveRange(limit, runs.Count - limit);
            }
        }

        await SaveFileAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<CronRun>> GetRunsAsync(string jobId, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CronRun>>(_state.Runs.TryGetValue(jobId, out var runs) ? runs.Take(max).ToList() : []);
        }
    }

    private static CronJobDefinition Copy(CronJobDefinition job) => CronJson.Deserialize<CronJobDefinition>(CronJson.Serialize(job))!;

    private bool ExtendLease(string jobId, string owner, TimeSpan ttl)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue(jobId, out var held) || held.Owner != owner)
            {
                return false;
            }

            _leases[jobId] = (owner, _time.GetUtcNow() + ttl);
            return true;
        }
    }

    private Task ReleaseLease(string jobId, string owner)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(jobId, out var held) && held.Owner == owner)
            {
                _leases.Remove(jobId);
            }
        }

        return Task.CompletedTask;
    }

    private async Task SaveFileAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string json;
            lock (_gate)
            {
                json = CronJson.Serialize(_state);
            }

            var temp = _path + ".tmp";
            await File.WriteAllTextAsync(temp, json, cancellationToken).ConfigureAwait(false);
            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private sealed class State
    {
        public Dictionary<string, CronJobDefinition> Jobs { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateTimeOffset> LastFire { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<CronRun>> Runs { get; set; } = new(StringComparer.Ordinal);
    }
}
