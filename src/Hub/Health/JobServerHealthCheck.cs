using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Hub.Health;

/// <summary>Ready when this node's Hangfire server is registered in the job storage (its heartbeat, when storage reports one, within Hangfire's 5-minute server timeout).</summary>
internal sealed class JobServerHealthCheck(JobStorage storage, IOptions<HubOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var prefix = options.Value.NodeId + ":";
            var now = time.GetUtcNow().UtcDateTime;
            var alive = storage.GetMonitoringApi().Servers()
                .Any(s => s.Name.StartsWith(prefix, StringComparison.Ordinal) && (s.Heartbeat is not { } beat || now - beat < TimeSpan.FromMinutes(5)));
            return Task.FromResult(alive ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("This node's job server is not running."));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer: " + ex.GetType().Name));
        }
    }
}
