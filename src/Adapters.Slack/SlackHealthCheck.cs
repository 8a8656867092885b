using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Slack;

/// <summary>Readiness of the Slack channel: in Socket Mode, healthy only while a connection is up; in Events mode,
/// healthy (Slack calls us).</summary>
internal sealed class SlackHealthCheck(SlackSocketModeState state, IOptions<SlackOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.Mode != SlackMode.SocketMode)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Events API endpoint."));
        }

        return Task.FromResult(state.IsConnected
            ? HealthCheckResult.Healthy("Socket Mode connected.")
            : HealthCheckResult.Unhealthy("Socket Mode not connected."));
    }
}
