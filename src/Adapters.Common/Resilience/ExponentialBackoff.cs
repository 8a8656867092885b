namespace OpenClaw.Channels.Adapters;

/// <summary>The reconnect and retry delays of the adapters' receive loops and start-up registrations (Telegram's
/// <c>getUpdates</c> loop and <c>setWebhook</c>, Slack's Socket Mode, Discord's gateway): the <c>n</c>-th failure in a
/// row waits <c>Initial × 2^(n−1)</c>, at most <c>Max</c>, optionally shortened by a random jitter so many clients
/// that failed together do not come back together. Calls toward a platform's HTTP API use Polly's retry strategy
/// (<c>DelayBackoffType.Exponential</c>, <c>UseJitter</c>) instead.</summary>
/// <param name="Initial">Delay after the first failure; at least <see cref="TimeSpan.Zero"/>.</param>
/// <param name="Max">Upper bound of every delay.</param>
/// <param name="Jitter">Fraction of the delay taken off at random, from 0 (none, the default) to 1: with 0.5 a delay
/// <c>d</c> becomes uniform in <c>[d/2, d)</c>.</param>
public readonly record struct ExponentialBackoff(TimeSpan Initial, TimeSpan Max, double Jitter = 0)
{
    private const int MaxExponent = 30;

    /// <summary>The delay after <paramref name="failures"/> failures in a row.</summary>
    /// <param name="failures">Failures in a row, counting the one just seen; 0 or less is treated as 1.</param>
    /// <param name="random">Source of the jitter; <see cref="Random.Shared"/> when null.</param>
    /// <returns><c>min(Initial × 2^(failures−1), Max)</c>, less the jitter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Jitter"/> is outside [0, 1].</exception>
    public TimeSpan DelayAfter(int failures, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Jitter, 0d, nameof(Jitter));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Jitter, 1d, nameof(Jitter));
        var exponent = Math.Clamp(failures - 1, 0, MaxExponent);
        var ms = Math.Min(Math.Max(Initial.TotalMilliseconds, 0) * Math.Pow(2, exponent), Max.TotalMilliseconds);
        if (Jitter > 0)
        {
            ms *= 1 - (Jitter * (random ?? Random.Shared).NextDouble());
        }

        return TimeSpan.FromMilliseconds(Math.Max(ms, 0));
    }
}
