namespace OpenClaw.Channels;

/// <summary>An <see cref="ISharedRateLimiter"/> inside one process (a cluster of one): the same algorithm as the
/// Redis buckets (GCRA: each bucket keeps its theoretical arrival time; a reservation is granted at that time minus
/// the burst tolerance). Thread-safe.</summary>
/// <param name="time">Clock; <see cref="TimeProvider.System"/> when null.</param>
public sealed class LocalRateLimiter(TimeProvider? time = null) : ISharedRateLimiter
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, DateTimeOffset> _tat = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<TimeSpan> ReserveAsync(string bucket, RateLimit limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        var now = _time.GetUtcNow();
        lock (_tat)
        {
            var tat = _tat.TryGetValue(bucket, out var t) && t > now ? t : now;
            var wait = tat - limit.Tolerance - now;
            _tat[bucket] = tat + limit.EmissionInterval;
            Prune(now);
            return Task.FromResult(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        }
    }

    /// <inheritdoc />
    public Task BlockAsync(string bucket, RateLimit limit, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        var blockedUntil = _time.GetUtcNow() + retryAfter + limit.Tolerance;
        lock (_tat)
        {
            if (!_tat.TryGetValue(bucket, out var tat) || tat < blockedUntil)
            {
                _tat[bucket] = blockedUntil;
            }
        }

        return Task.CompletedTask;
    }

    private void Prune(DateTimeOffset now)
    {
        if (_tat.Count < 10_000)
        {
            return;
        }

        foreach (var key in _tat.Where(p => p.Value < now).Select(p => p.Key).ToList())
        {
            _tat.Remove(key);
        }
    }
}
