namespace OpenClaw.Channels.Cron;

/// <summary>One entry of a job's run history.</summary>
public sealed record CronRun
{
    /// <summary>Sortable run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The job.</summary>
    public required string JobId { get; init; }

    /// <summary>The scheduled fire time (UTC, whole seconds), or the request time of a manual run.</summary>
    public required DateTimeOffset FireTimeUtc { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>Run duration in ms.</summary>
    public long DurationMs { get; init; }

    /// <summary><c>ok</c>, <c>failed</c>, <c>skipped-overlap</c> or <c>skipped-stale</c> (<see cref="CronRunStatus"/>).</summary>
    public required string Status { get; init; }

    /// <summary>Why it failed (no secrets), or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>True for "run now" requests.</summary>
    public bool Manual { get; init; }

    /// <summary>Node that ran it.</summary>
    public string? Node { get; init; }

    /// <summary>Session key the agent ran in.</summary>
    public string? SessionKey { get; init; }
}
