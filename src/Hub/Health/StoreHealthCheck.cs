using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Health;

/// <summary>Ready when the hub's store answers (Redis PING, or the embedded store) within <see cref="Timeout"/>.</summary>
internal sealed class StoreHealthCheck(ISessionStore store) : IHealthCheck
{
    /// <summary>How long a readiness check may take: 800 ms, so that <c>/readyz</c> answers within a second (503 while
    /// Redis is down) instead of waiting for the client's 5-s command timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The store did not answer within {Timeout.TotalMilliseconds} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The store does not answer: " + ex.GetType().Name);
        }
    }
}
