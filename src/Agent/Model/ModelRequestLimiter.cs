using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>Node-wide explicit caps on model calls: a concurrency limiter (<see cref="AgentOptions.MaxConcurrency"/>, 0 =
/// off) and a token bucket (<see cref="AgentOptions.RequestsPerMinute"/>, 0 = off). Callers queue oldest first up to
/// <see cref="AgentOptions.MaxQueuedRequests"/>. What the provider announces is followed separately
/// (<see cref="ProviderRateLimit"/>).</summary>
internal sealed class ModelRequestLimiter : IDisposable
{
    private readonly ConcurrencyLimiter? _concurrency;
    private readonly TokenBucketRateLimiter? _rate;

    public ModelRequestLimiter(IOptions<AgentOptions> options)
    {
        var o = options.Value;
        if (o.MaxConcurrency > 0)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = o.MaxConcurrency,
                QueueLimit = o.MaxQueuedRequests,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        if (o.RequestsPerMinute > 0)
        {
            // One token per 60/RPM s, but never a timer faster than 100 ms: above 600 RPM tokens come in batches.
            var perPeriod = Math.Max(1, (int)Math.Ceiling(o.RequestsPerMinute / 600.0));
            var period = TimeSpan.FromMinutes(1) * perPeriod / o.RequestsPerMinute;
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(perPeriod, o.RequestsPerMinute / 6), // burst of at most ~10 s of budget
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = period,
                QueueLimit = o.MaxQueuedRequests,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Waits for a slot. Returns the lease to dispose after the call, or <see langword="null"/> when the queue is full.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async ValueTask<IDisposable?> AcquireAsync(CancellationToken cancellationToken)
    {
        IDisposable slot = NoSlot.Instance;
        if (_concurrency is not null)
        {
            var lease = await _concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                return null;
            }

            slot = lease;
        }

        if (_rate is null)
        {
            return slot;
        }

        try
        {
            using var token = await _rate.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (!token.IsAcquired)
            {
                slot.Dispose();
                return null;
            }
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        return slot;
    }

    public void Dispose()
    {
        _concurrency?.Dispose();
        _rate?.Dispose();
    }

    private sealed class NoSlot : IDisposable
    {
        public static readonly NoSlot Instance = new();

        public void Dispose()
        {
        }
    }
}
