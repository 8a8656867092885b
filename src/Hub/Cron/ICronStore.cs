namespace OpenClaw.Channels.Hub.Cron;

/// <summary>Cron definitions, run history, fire dedupe and overlap leases. Redis in distributed mode, process memory
/// plus JSON files under <c>{DataDirectory}/cron</c> in embedded mode.</summary>
internal interface ICronStore
{
    /// <summary>Raised on every node (Redis pub/sub <c>{prefix}cron:changed</c>; embedded: in process) after a
    /// definition was written or deleted, with the job id.</summary>
    event Action<string>? Changed;

    /// <summary>Starts listening for changes from other nodes.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>All definitions.</summary>
    Task<IReadOnlyList<CronJobDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One definition, or null.</summary>
    Task<CronJobDefinition?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Writes a definition (whole) and notifies every node.</summary>
    Task SaveAsync(CronJobDefinition job, CancellationToken cancellationToken);

    /// <summary>Removes a definition, its history and last fire time, and notifies every node. True when it existed.</summary>
    Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Claims one fire (SET NX with a TTL): true for exactly one caller across all nodes.</summary>
    Task<bool> TryClaimFireAsync(string jobId, string fireKey, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Raises the job's last fire time to <paramref name="fireTimeUtc"/> (never lowers it).</summary>
    Task SetLastFireAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken);

    /// <summary>The job's last fire time, or null.</summary>
    Task<DateTimeOffset?> GetLastFireAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Takes the job's overlap lease for <paramref name="ttl"/>; null when another run holds it.</summary>
    Task<IAsyncDisposable?> TryLeaseAsync(string jobId, string owner, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Appends a run to the job's history (capped at <paramref name="limit"/>, newest kept).</summary>
    Task AddRunAsync(CronRun run, int limit, CancellationToken cancellationToken);

    /// <summary>The job's runs, newest first.</summary>
    Task<IReadOnlyList<CronRun>> GetRunsAsync(string jobId, int max, CancellationToken cancellationToken);
}
