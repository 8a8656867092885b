namespace OpenClaw.Channels.Bench.Load;

/// <summary>Fixed-size, lock-free latency histogram: 10 µs buckets up to 100 ms, then 1 ms buckets up to 60 s.
/// Fixed memory, so it does not disturb the RSS figures.</summary>
public sealed class LatencyHistogram
{
    private const int FineBuckets = 10_000;
    private const int CoarseBuckets = 60_000;
    private readonly long[] _counts = new long[FineBuckets + CoarseBuckets + 1];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Record(double ms)
    {
        var us = (long)Math.Max(0, ms * 1000);
        var index = us < 100_000 ? (int)(us / 10) : (int)Math.Min(FineBuckets + CoarseBuckets, FineBuckets + ((us - 100_000) / 1000));
        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The <paramref name="percentile"/> (0–100) in ms (upper edge of its bucket); NaN when empty.</summary>
    public double Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return i < FineBuckets ? (i + 1) * 0.01 : 100 + (i - FineBuckets + 1);
            }
        }

        return double.PositiveInfinity;
    }
}
