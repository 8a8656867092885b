using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.Hub.Embedded;

/// <summary>The <c>Hub:Embedded</c> section: the in-process Garnet server the hub starts when
/// <c>ConnectionStrings:Redis</c> is not set. Its files live under <c>{Hub:DataDirectory}/garnet</c>. Defaults are sized
/// for a small box (Garnet's own defaults are a 16 GiB log and a 128 MiB hash index).</summary>
/// <remarks>Garnet settings: microsoft.github.io/garnet/docs/getting-started/configuration and
/// microsoft.github.io/garnet/docs/getting-started/memory.</remarks>
public sealed class EmbeddedOptions : IValidatableObject
{
    /// <summary>Section name, <c>Hub:Embedded</c>.</summary>
    public const string SectionName = "Hub:Embedded";

    /// <summary>Loopback TCP port Garnet listens on (127.0.0.1 only); 0 (default) picks a free port at start, so several
    /// hubs on one machine (each with its own <c>Hub:DataDirectory</c>) never collide.</summary>
    [Range(0, 65_535)]
    public int Port { get; set; }

    /// <summary>In-memory part of Garnet's log (records, their values and the heap of lists, hashes and sorted sets), in
    /// MiB (Garnet <c>--memory</c>). Older records spill to <c>{DataDirectory}/garnet/log</c>. Default 32; at least 4
    /// pages; 16 or more recommended. Keep the hub's working set below it and treat spilling as a safety margin: Garnet
    /// can end the process with <c>Environment.FailFast</c> in Tsavorite's flush when collections grew in place
    /// while older records spilled (seen at 4 and 16 MiB, and on 2.2.12, which the hub uses; docs/ARCHITECTURE.md,
    /// "The embedded store").</summary>
    [Range(4, 1_048_576)]
    public int MemoryMb { get; set; } = 32;

    /// <summary>Initial size of Garnet's hash index, in MiB (Garnet <c>--index</c>; rounded down to a power of 2; it grows
    /// when it overflows). Default 4 (about 65,000 buckets of 8 keys).</summary>
    [Range(1, 65_536)]
    public int IndexMb { get; set; } = 4;

    /// <summary>Size of one log page, in MiB (Garnet <c>--page</c>; a power of 2; at most a quarter of
    /// <see cref="MemoryMb"/>). A record larger than half a page is kept outside the page. Default 2.</summary>
    [Range(1, 1024)]
    public int PageMb { get; set; } = 2;

    /// <summary>Size of one on-disk log segment file, in MiB (Garnet <c>--segment</c>). Default 16.</summary>
    [Range(1, 65_536)]
    public int SegmentMb { get; set; } = 16;

    /// <summary>In-memory buffer of the append-only file, in MiB (Garnet <c>--aof-memory</c>); the append-only file's page
    /// is twice <see cref="PageMb"/> (Garnet's minimum), and this must hold at least two of them. Default 8.</summary>
    [Range(4, 65_536)]
    public int AofMemoryMb { get; set; } = 8;

    /// <summary>Seconds between checkpoints of the whole store; a checkpoint lets Garnet truncate the append-only file,
    /// so a restart replays at most this much of it. Default 60.</summary>
    [Range(1, 86_400)]
    public int CheckpointIntervalSeconds { get; set; } = 60;

    /// <summary>Whether Garnet answers a write only once its append-only-file entry is on disk (Garnet
    /// <c>--aof-commit-wait</c>). Off (default): every write is committed at once (the file is opened write-through) and
    /// answered without waiting for that disk write, so a kill or a power cut can lose only the writes whose disk write
    /// was still in flight (typically well under a millisecond old). On: nothing answered is ever lost, at the cost of a
    /// disk write in every write's latency.</summary>
    public bool AofCommitWait { get; set; }

    /// <summary>Garnet's page arithmetic: the log holds at least four pages, the AOF buffer at least two AOF pages.</summary>
    /// <param name="validationContext">Unused.</param>
    /// <returns>The violated rules.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MemoryMb < 4 * PageMb)
        {
            yield return new ValidationResult($"Hub:Embedded:MemoryMb ({MemoryMb}) must be at least four pages (4 x PageMb = {4 * PageMb}).", [nameof(MemoryMb)]);
        }

        if (AofMemoryMb < 4 * PageMb)
        {
            yield return new ValidationResult($"Hub:Embedded:AofMemoryMb ({AofMemoryMb}) must hold two AOF pages of 2 x PageMb (at least {4 * PageMb}).", [nameof(AofMemoryMb)]);
        }

        if ((PageMb & (PageMb - 1)) != 0)
        {
            yield return new ValidationResult($"Hub:Embedded:PageMb ({PageMb}) must be a power of 2.", [nameof(PageMb)]);
        }
    }
}
