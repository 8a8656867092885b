using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.WebChat;

/// <summary>Readiness of the web chat: the page is served by this host, so it is healthy while the host runs; the
/// description says who may use it and the data counts the browsers' open event streams on this node.</summary>
internal sealed class WebChatHealthCheck(WebChatEndpoints endpoints, IOptions<WebChatOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var access = options.Value.AllowRemote ? "local and token-holding remote browsers" : "local browsers only";
        return Task.FromResult(HealthCheckResult.Healthy(
            $"Chat page at / for {access}.",
            new Dictionary<string, object> { ["open_streams"] = endpoints.OpenStreams }));
    }
}
