namespace OpenClaw.Channels;

/// <summary>A platform's documented send limit: <see cref="Count"/> requests per <see cref="Period"/>, with up to
/// <see cref="Burst"/> at once after a quiet spell (a token bucket, enforced as a generic cell rate algorithm).</summary>
/// <param name="Count">Requests allowed per <paramref name="Period"/>; at least 1.</param>
/// <param name="Period">The period of <paramref name="Count"/>, e.g. 1 s for Slack's 1 message/s per channel.</param>
/// <param name="Burst">Requests that may go back to back when the bucket is full; at least 1.</param>
public readonly record struct RateLimit(int Count, TimeSpan Period, int Burst)
{
    /// <summary>Time between two requests at the sustained rate: <see cref="Period"/> / <see cref="Count"/>, at least 1 ms.</summary>
    public TimeSpan EmissionInterval => TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(Period.TotalMilliseconds / Math.Max(1, Count))));

    /// <summary>How far ahead of the sustained rate a burst may run: <see cref="EmissionInterval"/> × (<see cref="Burst"/> − 1).</summary>
    public TimeSpan Tolerance => EmissionInterval * Math.Max(0, Burst - 1);
}
