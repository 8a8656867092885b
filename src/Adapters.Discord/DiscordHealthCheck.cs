using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenClaw.Channels.Discord;

/// <summary>Readiness of the Discord adapter (tagged <c>ready</c>): Unhealthy with the reason when the gateway
/// stopped for good (e.g. close code 4004 authentication failed, 4014 disallowed intents), Degraded while connecting
/// or reconnecting, Healthy when READY/RESUMED or when the gateway is disabled.</summary>
internal sealed class DiscordHealthCheck(DiscordGatewayState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (status, reason) = state.Current;
        var result = status switch
        {
            DiscordGatewayStatus.Ready => HealthCheckResult.Healthy("Discord gateway ready."),
            DiscordGatewayStatus.Disabled => HealthCheckResult.Healthy("Discord gateway disabled; interactions endpoint only."),
            DiscordGatewayStatus.Failed => HealthCheckResult.Unhealthy("Discord gateway stopped: " + reason),
            _ => HealthCheckResult.Degraded($"Discord gateway {status.ToString().ToLowerInvariant()}{(reason is null ? string.Empty : ": " + reason)}."),
        };
        return Task.FromResult(result);
    }
}
