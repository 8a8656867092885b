using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Slack;

/// <summary>Readiness of the Slack channel: in Socket Mode, healthy while a connection of this node is up, or while the
/// node is a standby (every connection slot held by another node); unhealthy otherwise, and after Slack's
/// <c>link_disabled</c> with the reason as description; in Events mode, healthy (Slack calls us). Data <c>slots</c> and
/// <c>connected</c>: the slots this node holds and its connections up.</summary>
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

        var data = new Dictionary<string, object> { ["slots"] = state.SlotsHeld, ["connected"] = state.Connected };
        if (state.IsConnected)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Socket Mode: {state.Connected} connection(s) up on this node.", data));
        }

        // A node holding no slot is a standby: the cluster's connections live on other nodes.
        return Task.FromResult(state.SlotsHeld == 0 && state.SlotsElsewhere >= options.Value.SocketConnections
            ? HealthCheckResult.Healthy("Socket Mode: standby, the cluster's connections are held by other nodes.", data)
            : HealthCheckResult.Unhealthy("Socket Mode not connected.", data: data));
    }
}
