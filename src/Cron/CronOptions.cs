using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.Cron;

/// <summary>The <c>Cron</c> configuration section.</summary>
public sealed class CronOptions
{
    /// <summary>Section name, <c>Cron</c>.</summary>
    public const string SectionName = "Cron";

    /// <summary>Hangfire workers of the <c>cron</c> queue on this node. Default 2.</summary>
    [Range(1, 100)]
    public int Concurrency { get; set; } = 2;

    /// <summary>Jobs defined in configuration; validated at start and written to the store when they differ from the
    /// stored version (configuration wins over API edits of the same id at the next start; an unchanged entry keeps its
    /// stored timestamps, so a restart does not reset missed-fire accounting).</summary>
    public List<CronJobDefinition> Jobs { get; set; } = [];

    /// <summary>Run-history entries kept per job (newest). Default 100.</summary>
    [Range(1, 100_000)]
    public int HistoryLimit { get; set; } = 100;

    /// <summary>How long a fire's dedupe key lives, in seconds. Default 86,400.</summary>
    [Range(60, 30 * 86_400)]
    public int FireKeyTtlSeconds { get; set; } = 86_400;

    /// <summary>How long a node keeps trying to turn a fire into its Hangfire job while the store or Hangfire's storage
    /// fails (or waits for the node that claimed it), in seconds; then the fire is given up with an error in the log.
    /// Default 60.</summary>
    [Range(1, 86_400)]
    public int FireRetrySeconds { get; set; } = 60;

    /// <summary>Full re-read of the definitions from the store, in seconds, on top of change notifications (which
    /// reach every node at once). Default 30.</summary>
    [Range(1, 3_600)]
    public int ResyncSeconds { get; set; } = 30;
}
