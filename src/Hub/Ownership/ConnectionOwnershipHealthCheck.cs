using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenClaw.Channels.Hub.Ownership;

/// <summary>Always healthy; says which platform connections this node owns now (data <c>node</c> and <c>owns</c>, the
/// lease resources with their fencing tokens, e.g. <c>telegram:123:poll#4</c>), so <c>/readyz</c> shows where each
/// connection lives.</summary>
internal sealed class ConnectionOwnershipHealthCheck(ConnectionOwnership ownership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var held = ownership.Held;
        var owns = held.Select(l => l.Resource + "#" + l.FencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var data = new Dictionary<string, object> { ["node"] = ownership.NodeId, ["owns"] = owns };
        var description = owns.Length == 0 ? $"Node {ownership.NodeId} owns no platform connection." : $"Node {ownership.NodeId} owns {string.Join(", ", owns)}.";
        return Task.FromResult(HealthCheckResult.Healthy(description, data));
    }
}
