using System.Diagnostics;

namespace OpenClaw.Channels.Tests;

/// <summary>When <c>OPENCLAW_TEST_TIMINGS</c> names a file, hub start and stop times and each hub process's CPU time
/// (<c>process-cpu</c>, read when it is disposed) are appended to it, one line per event (<c>{kind}\t{ms}\t{what}</c>):
/// how the suite's wall time splits into fixture start/stop and test bodies.</summary>
internal static class FixtureTimings
{
    private static readonly string? Path = Environment.GetEnvironmentVariable("OPENCLAW_TEST_TIMINGS");
    private static readonly Lock Gate = new();

    /// <summary>Records <paramref name="kind"/> as taking the time since <paramref name="started"/>
    /// (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public static void Record(string kind, long started, string what = "")
    {
        if (Path is null)
        {
            return;
        }

        RecordMs(kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds, what);
    }

    /// <summary>Records <paramref name="kind"/> as <paramref name="ms"/> milliseconds (e.g. a hub process's CPU time).</summary>
    public static void RecordMs(string kind, double ms, string what = "")
    {
        if (Path is null)
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(Path, FormattableString.Invariant($"{kind}\t{ms:0}\t{what}\n"));
        }
    }
}
