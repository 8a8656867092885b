using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>Node-wide pacing of model calls: a concurrency limiter (<see cref="AgentOptions.MaxConcurrency"/>) and a token
/// bucket (<see cref="AgentOptions.RequestsPerMinute"/>, 0 = off). Callers queue oldest first up to
/// <see cref="AgentOptions.MaxQueuedRequests"/>.</summary>
internal sealed class ModelRequestLimiter : IDisposable
{
    private readonly ConcurrencyLimiter _concurrency;
    private readonly TokenBucketRateLimiter? _rate;

    public ModelRequestLimiter(IOptions<AgentOptions> options)
    {
        var o = options.Value;
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrency,
            QueueLimit = o.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

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
        var slot = await _concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            return null;
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
        _concurrency.Dispose();
        _rate?.Dispose();
    }
}
