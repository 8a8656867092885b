namespace OpenClaw.Channels.Cron;

/// <summary>Values of <see cref="CronRun.Status"/>.</summary>
public static class CronRunStatus
{
    /// <summary>The agent answered and the answer was delivered (or there was no target).</summary>
    public const string Ok = "ok";

    /// <summary>The model, the delivery or the max runtime failed the run; <see cref="CronRun.Error"/> says why.</summary>
    public const string Failed = "failed";

    /// <summary>The previous run of the job still held the overlap lease; nothing ran.</summary>
    public const string SkippedOverlap = "skipped-overlap";

    /// <summary>The fire's Hangfire job waited in the queue while every node was down, and later fire times of the job
    /// were missed meanwhile (the misfire policy decided about those at start); nothing ran, so the old fire neither
    /// runs hours late nor holds the overlap lease against the catch-up run.</summary>
    public const string SkippedStale = "skipped-stale";
}
