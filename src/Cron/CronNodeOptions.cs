namespace OpenClaw.Channels.Cron;

/// <summary>What the cron lane needs to know about the node it runs on. Not bound from a configuration section of its
/// own: the host sets it (the Hub copies its <c>Hub</c> section: <c>NodeId</c>, <c>KeyPrefix</c>, <c>AgentId</c>,
/// <c>NodeTtlMs</c>, <c>LockWaitMs</c>, <c>SchedulePollingMs</c>), so the cron lane and the rest of the host agree.</summary>
public sealed class CronNodeOptions
{
    /// <summary>This node's id: names the cron queue's Hangfire server (<c>{NodeId}-cron</c>), fire claims and overlap
    /// leases (<c>{NodeId}/{runId}</c>) and the <c>node</c> of a run in the history.</summary>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>Prefix of every Redis key and channel of the cron lane (<c>{KeyPrefix}cron:…</c>). Default <c>openclaw:</c>.</summary>
    public string KeyPrefix { get; set; } = "openclaw:";

    /// <summary>Agent id in cron session keys (<c>agent:{AgentId}:cron:…</c>). Default <c>main</c>.</summary>
    public string AgentId { get; set; } = SessionKey.DefaultAgentId;

    /// <summary>How long a node's pending fire claim and a run's overlap lease live without being renewed: a dead node's
    /// claims and leases are gone within this time. Default 10 s.</summary>
    public TimeSpan NodeTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a run waits for its session lock before it is recorded failed. Default 30 s.</summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the cron queue's Hangfire server looks for due delayed jobs. Default 5 s.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);
}
