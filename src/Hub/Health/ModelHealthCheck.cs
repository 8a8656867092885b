using System.Net.Http.Headers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Hub.Health;

/// <summary>Readiness of the model endpoint (registered only when <c>Agent:Endpoint</c> is set): <c>GET
/// {Endpoint}/models</c> with the API key, at most once per <see cref="CacheFor"/> so a load balancer polling
/// <c>/readyz</c> does not become model traffic. Healthy on 2xx (or 404/405: the server has no list, which an
/// OpenAI-compatible server may omit); degraded otherwise, with the status or transport error as the reason. Never
/// a completion (that costs tokens).</summary>
internal sealed class ModelHealthCheck(IHttpClientFactory factory, IOptions<AgentOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>Name of the <see cref="HttpClient"/> this check uses.</summary>
    public const string HttpClientName = "openclaw-model-health";

    /// <summary>How long one probe's result is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.At < CacheFor)
            {
                return last.Result;
            }

            var result = await ProbeAsync(cancellationToken).ConfigureAwait(false);
            _last = (now, result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var agent = options.Value;
        var host = Uri.TryCreate(agent.Endpoint, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : agent.Endpoint;
        using var request = new HttpRequestMessage(HttpMethod.Get, agent.Endpoint!.TrimEnd('/') + "/models");
        if (!string.IsNullOrEmpty(agent.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.ApiKey);
        }

        try
        {
            using var http = factory.CreateClient(HttpClientName);
            http.Timeout = TimeSpan.FromSeconds(5);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode || status is 404 or 405
                ? HealthCheckResult.Healthy($"{agent.Model} at {host}: GET /models answered {status}.")
                : HealthCheckResult.Degraded($"{agent.Model} at {host}: GET /models answered {status} {response.ReasonPhrase}{(status is 401 or 403 ? " (check Agent:ApiKey)" : string.Empty)}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"{agent.Model} at {host}: no answer ({ex.GetType().Name}: {ex.Message}).");
        }
    }
}
