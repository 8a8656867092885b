namespace OpenClaw.Channels.Cron;

/// <summary>Outcome of <see cref="ICronStore.TryClaimFireAsync"/>.</summary>
internal enum CronFireClaim
{
    /// <summary>The caller holds the pending claim and creates the fire's Hangfire job.</summary>
    Claimed,

    /// <summary>Another claimant holds a pending claim: its job is being created, or the claim runs out if it died.</summary>
    Pending,

    /// <summary>The fire's Hangfire job exists.</summary>
    Done,
}
