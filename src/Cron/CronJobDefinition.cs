using System.Text.Json.Serialization;

namespace OpenClaw.Channels.Cron;

/// <summary>One recurring (or one-shot) agent job: when it fires, what the agent is asked, which session it runs in
/// and where the answer is posted. Exactly one of <see cref="Cron"/>, <see cref="IntervalSeconds"/> and
/// <see cref="At"/> is set. JSON (API) and configuration (<c>Cron:Jobs</c>) use the same camel-case names.</summary>
public sealed class CronJobDefinition
{
    /// <summary>Stable id: letters, digits, <c>-</c>, <c>_</c>, <c>.</c>, at most 64 characters. The API generates one
    /// when it is empty.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Human-readable name; shown in the Hangfire dashboard (<c>cron {Name} @ {fire time}</c>). Default: the id.</summary>
    public string? Name { get; set; }

    /// <summary>Cron expression read in <see cref="TimeZone"/>: Quartz's with seconds
    /// (<c>sec min hour day-of-month month day-of-week [year]</c>, e.g. <c>0 0 9 ? * MON-FRI</c>) or standard five-field
    /// cron (<c>min hour day-of-month month day-of-week</c>, e.g. <c>0 9 * * 1-5</c>), which is saved in its Quartz form
    /// (<see cref="CronExpressionForm"/>). An expression that never fires is rejected.</summary>
    public string? Cron { get; set; }

    /// <summary>Fixed interval in seconds (at least 1). Fire times are multiples of the interval since the Unix epoch,
    /// so every node computes the same ones.</summary>
    public int? IntervalSeconds { get; set; }

    /// <summary>One-shot fire time (ISO 8601 with offset, e.g. <c>2026-12-01T09:00:00+01:00</c>). Once it fired the hub
    /// sets <see cref="DoneUtc"/>.</summary>
    public DateTimeOffset? At { get; set; }

    /// <summary>IANA (or Windows) time zone id the cron expression is read in. Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The prompt the agent answers on every fire. Required.</summary>
    public string Prompt { get; set; } = string.Empty;

    /// <summary><c>isolated</c> (default: a fresh session per run) or <c>persistent</c> (one named session keeps the
    /// conversation across runs).</summary>
    public string Session { get; set; } = CronSessionMode.Isolated;

    /// <summary>Name of the persistent session (session key <c>agent:{agentId}:cron:{SessionName}</c>). Default: the id.</summary>
    public string? SessionName { get; set; }

    /// <summary>Where the answer is posted; <see langword="null"/> runs the agent without delivery.</summary>
    public CronDeliveryTarget? Target { get; set; }

    /// <summary>False pauses the job (no fires; "run now" still works). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Fire times missed while every node was down: <c>skip</c> (default, nothing runs) or <c>run-once</c>
    /// (one run at start, for the latest missed time).</summary>
    public string Misfire { get; set; } = CronMisfirePolicy.Skip;

    /// <summary>Longest a run may take, in seconds; the run is cancelled after it. Default none.</summary>
    public int? MaxRuntimeSeconds { get; set; }

    /// <summary>When the definition was last written (UTC), set by the hub; missed fires are counted from the later of
    /// this and the last fire.</summary>
    public DateTimeOffset? UpdatedUtc { get; set; }

    /// <summary>When a one-shot (<see cref="At"/>) job fired, or was missed under the <c>skip</c> misfire policy (UTC), set
    /// by the hub; null while it is active. A done job is no longer scheduled nor listed among the active jobs (the API
    /// lists it with <c>?all=true</c>, and by id), and keeps its run history. Ignored in request bodies; a PUT makes the
    /// job active again.</summary>
    public DateTimeOffset? DoneUtc { get; set; }

    /// <summary>The display name: <see cref="Name"/> or, when empty, <see cref="Id"/>.</summary>
    [JsonIgnore]
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name;
}
