using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.Hub.Embedded;

/// <summary>The <c>Hub:Embedded</c> section: the in-process Garnet server the hub starts when
/// <c>ConnectionStrings:Redis</c> is not set. Its files live under <c>{Hub:DataDirectory}/garnet</c>. Defaults are sized
/// for a small box (Garnet's own defaults are a 16 GiB log and a 128 MiB hash index).</summary>
/// <remarks>Garnet settings: microsoft.github.io/garnet/docs/getting-started/configuration and
/// microsoft.github.io/garnet/docs/getting-started/memory.</remarks>
public sealed class EmbeddedOptions
{
    /// <summary>Section name, <c>Hub:Embedded</c>.</summary>
    public const string SectionName = "Hub:Embedded";

    /// <summary>Loopback TCP port Garnet listens on (127.0.0.1 only); 0 (default) picks a free port at start, so several
    /// hubs on one machine (each with its own <c>Hub:DataDirectory</c>) never collide.</summary>
    [Range(0, 65_535)]
    public int Port { get; set; }

    /// <summary>In-memory part of Garnet's log (records and their values), in MiB (Garnet <c>--memory</c>). Older records
    /// spill to <c>{DataDirectory}/garnet/log</c>. Default 64.</summary>
    [Range(8, 1_048_576)]
    public int MemoryMb { get; set; } = 64;

    /// <summary>Initial size of Garnet's hash index, in MiB (Garnet <c>--index</c>; rounded down to a power of 2; it grows
    /// when it overflows). Default 4 (about 65,000 buckets of 8 keys).</summary>
    [Range(1, 65_536)]
    public int IndexMb { get; set; } = 4;

    /// <summary>Size of one log page, in MiB (Garnet <c>--page</c>; a power of 2; at most a quarter of
    /// <see cref="MemoryMb"/>). Default 4.</summary>
    [Range(1, 1024)]
    public int PageMb { get; set; } = 4;

    /// <summary>Size of one on-disk log segment file, in MiB (Garnet <c>--segment</c>). Default 16.</summary>
    [Range(1, 65_536)]
    public int SegmentMb { get; set; } = 16;

    /// <summary>In-memory buffer of the append-only file, in MiB (Garnet <c>--aof-memory</c>; at least twice the AOF page,
    /// which is twice <see cref="PageMb"/>). Default 32.</summary>
    [Range(2, 65_536)]
    public int AofMemoryMb { get; set; } = 32;

    /// <summary>Seconds between checkpoints of the whole store; a checkpoint lets Garnet truncate the append-only file,
    /// so a restart replays at most this much of it. Default 60.</summary>
    [Range(1, 86_400)]
    public int CheckpointIntervalSeconds { get; set; } = 60;

    /// <summary>Whether every write waits until the append-only file has reached the disk before Garnet answers it
    /// (Garnet <c>--aof-commit-wait</c>). Off (default): writes are committed at once but answered without waiting, as
    /// Redis does with <c>appendfsync everysec</c>; a killed hub process loses nothing it was told was written, a power cut
    /// may lose the last writes. On: survives a power cut too, at the cost of a disk flush per write.</summary>
    public bool AofCommitWait { get; set; }
}
