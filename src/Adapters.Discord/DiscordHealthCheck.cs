using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenClaw.Channels.Discord;

/// <summary>Readiness of the Discord adapter (tagged <c>ready</c>): Unhealthy with the reason as description and in
/// <c>data</c> (<c>reason</c>, <c>closeCode</c>) when the gateway stopped for good (4004 "authentication failed: check
/// Channels:Discord:BotToken", 4014 "disallowed intents: enable the Message Content intent in the developer
/// portal"), Degraded while connecting
/// or reconnecting, Healthy when READY/RESUMED (every shard this node holds), on standby (other nodes hold the shards)
/// or when the gateway is disabled.</summary>
internal sealed class DiscordHealthCheck(DiscordGatewayState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (status, reason) = state.Current;
        var result = status switch
        {
            DiscordGatewayStatus.Ready => HealthCheckResult.Healthy(
                $"Discord gateway ready (shard{(state.HeldShards.Count == 1 ? string.Empty : "s")} {string.Join(", ", state.HeldShards)} held here).",
                new Dictionary<string, object> { ["shards"] = state.HeldShards.ToArray() }),
            DiscordGatewayStatus.Disabled => HealthCheckResult.Healthy("Discord gateway disabled; interactions endpoint only."),
            DiscordGatewayStatus.Standby => HealthCheckResult.Healthy("Discord gateway on standby: other nodes hold every shard."),
            DiscordGatewayStatus.Failed => HealthCheckResult.Unhealthy("Discord gateway stopped: " + reason, data: FailureData(reason, state.CloseCode)),
            _ => HealthCheckResult.Degraded($"Discord gateway {status.ToString().ToLowerInvariant()}{(reason is null ? string.Empty : ": " + reason)}."),
        };
        return Task.FromResult(result);
    }

    private static Dictionary<string, object> FailureData(string? reason, int? closeCode)
    {
        var data = new Dictionary<string, object> { ["reason"] = reason ?? "unknown" };
        if (closeCode is { } code)
        {
            data["closeCode"] = code;
        }

        return data;
    }
}
