namespace OpenClaw.Channels.Cron;

/// <summary>Values of <see cref="CronJobDefinition.Misfire"/>: what happens to fire times missed while every node was down.</summary>
public static class CronMisfirePolicy
{
    /// <summary>Missed fire times run nothing.</summary>
    public const string Skip = "skip";

    /// <summary>One run at start for the latest missed fire time, however many were missed.</summary>
    public const string RunOnce = "run-once";
}
