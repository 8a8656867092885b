namespace OpenClaw.Channels.Cron;

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

    /// <summary>Claims one fire for <paramref name="claimant"/> (SET NX of a pending claim that lives
    /// <paramref name="pendingTtl"/>): <see cref="CronFireClaim.Claimed"/> for exactly one caller at a time across all
    /// nodes (again for the same claimant while its claim is pending), <see cref="CronFireClaim.Pending"/> while another
    /// claimant holds it, <see cref="CronFireClaim.Done"/> once its Hangfire job exists.</summary>
    Task<CronFireClaim> TryClaimFireAsync(string jobId, string fireKey, string claimant, TimeSpan pendingTtl, CancellationToken cancellationToken);

    /// <summary>Marks a claimed fire done (its Hangfire job <paramref name="hangfireJobId"/> exists) for
    /// <paramref name="ttl"/>. False when the claim had passed to another claimant meanwhile.</summary>
    Task<bool> CompleteFireAsync(string jobId, string fireKey, string claimant, string hangfireJobId, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives a pending claim back (its Hangfire job could not be created), so any node may claim the fire
    /// again; nothing when the claim is not <paramref name="claimant"/>'s.</summary>
    Task ReleaseFireAsync(string jobId, string fireKey, string claimant, CancellationToken cancellationToken);

    /// <summary>Records that a run of this fire started (SET NX for <paramref name="ttl"/>): true for the first run only,
    /// so a fire whose Hangfire job was created twice (an answer lost in a blip, a claim taken over) runs once.</summary>
    Task<bool> TryStartFireRunAsync(string jobId, string fireKey, string runId, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Raises the job's last fire time to <paramref name="fireTimeUtc"/> (never lowers it).</summary>
    Task SetLastFireAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken);

    /// <summary>The job's last fire time, or null.</summary>
    Task<DateTimeOffset?> GetLastFireAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Raises the job's stale mark to <paramref name="fireTimeUtc"/> (never lowers it): a start found fire times
    /// of the job missed after it, so a fire at or before it whose run has not started waited through the outage.</summary>
    Task SetStaleUntilAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken);

    /// <summary>The job's stale mark (<see cref="SetStaleUntilAsync"/>), or null.</summary>
    Task<DateTimeOffset?> GetStaleUntilAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Takes the job's overlap lease for <paramref name="ttl"/>, extended while the returned lease lives (see
    /// <see cref="CronLease"/>); null when another run holds it.</summary>
    Task<CronLease?> TryLeaseAsync(string jobId, string owner, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Who holds the job's overlap lease (<c>{nodeId}/{runId}</c>), or null.</summary>
    Task<string?> GetLeaseHolderAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Appends a run to the job's history (capped at <paramref name="limit"/>, newest kept).</summary>
    Task AddRunAsync(CronRun run, int limit, CancellationToken cancellationToken);

    /// <summary>The job's runs, latest fire time first (runs of the same fire time: latest start first).</summary>
    Task<IReadOnlyList<CronRun>> GetRunsAsync(string jobId, int max, CancellationToken cancellationToken);
}
