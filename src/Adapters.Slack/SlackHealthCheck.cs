using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Slack;

/// <summary>Readiness of the Slack channel: in Socket Mode, healthy only while a connection is up (and, after Slack's
/// <c>link_disabled</c>, unhealthy with the reason as description); in Events mode, healthy (Slack calls us).</summary>
internal sealed class SlackHealthCheck(SlackSocketModeState state, IOptions<SlackOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.Mode != SlackMode.SocketMode)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Events API endpoint."));
        }

        if (state.StoppedReason is { } reason)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(reason, data: new Dictionary<string, object> { ["reason"] = SlackSocketModeWorker.LinkDisabled }));
        }

        return Task.FromResult(state.IsConnected
            ? HealthCheckResult.Healthy("Socket Mode connected.")
            : HealthCheckResult.Unhealthy("Socket Mode not connected."));
    }
}
