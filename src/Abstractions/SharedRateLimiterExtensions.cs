namespace OpenClaw.Channels;

/// <summary>Waiting on an <see cref="ISharedRateLimiter"/>.</summary>
public static class SharedRateLimiterExtensions
{
    /// <summary>Reserves a slot of <paramref name="bucket"/> and waits until it comes.</summary>
    /// <returns>How long it waited.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public static async Task<TimeSpan> WaitAsync(this ISharedRateLimiter limiter, string bucket, RateLimit limit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(time);
        var wait = await limiter.ReserveAsync(bucket, limit, cancellationToken).ConfigureAwait(false);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        return wait;
    }
}
