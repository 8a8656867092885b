using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Health;

/// <summary>Ready when this node's Hangfire server is registered in the job storage (its heartbeat, when storage reports
/// one, within Hangfire's 5-minute server timeout). Hangfire's monitoring API is synchronous, so the check runs it on
/// the thread pool and gives up after <see cref="StoreHealthCheck.Timeout"/>; while the Redis connection the storage
/// uses is down it answers Unhealthy at once (its calls would wait for their timeout).</summary>
internal sealed class JobServerHealthCheck(JobStorage storage, IOptions<HubOptions> options, TimeProvider time, IConnectionMultiplexer? redis = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (redis is { IsConnected: false })
        {
            return HealthCheckResult.Unhealthy("The job storage does not answer: not connected to Redis.");
        }

        try
        {
            var prefix = options.Value.NodeId + ":";
            var now = time.GetUtcNow().UtcDateTime;
            var alive = await Task.Run(
                () => storage.GetMonitoringApi().Servers()
                    .Any(s => s.Name.StartsWith(prefix, StringComparison.Ordinal) && (s.Heartbeat is not { } beat || now - beat < TimeSpan.FromMinutes(5))),
                CancellationToken.None).WaitAsync(StoreHealthCheck.Timeout, cancellationToken).ConfigureAwait(false);
            return alive ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("This node's job server is not running.");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The job storage did not answer within {StoreHealthCheck.Timeout.TotalMilliseconds} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The job storage does not answer: " + ex.GetType().Name);
        }
    }
}
