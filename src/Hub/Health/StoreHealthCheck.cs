using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Health;

/// <summary>Ready when the hub's store answers (Redis PING, or the embedded store).</summary>
internal sealed class StoreHealthCheck(ISessionStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The store does not answer: " + ex.GetType().Name);
        }
    }
}
