namespace OpenClaw.Channels.Cron;

/// <summary>Values of <see cref="CronJobDefinition.Session"/>.</summary>
public static class CronSessionMode
{
    /// <summary>A fresh session per run: <c>agent:{agentId}:cron:{jobId}:{runId}</c>.</summary>
    public const string Isolated = "isolated";

    /// <summary>One named session across runs: <c>agent:{agentId}:cron:{sessionName}</c>.</summary>
    public const string Persistent = "persistent";
}
