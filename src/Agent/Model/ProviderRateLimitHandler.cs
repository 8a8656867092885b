namespace OpenClaw.Channels.Agent;

/// <summary>The innermost handler toward the model: each attempt waits while the provider asked the node to pause, and
/// every answer teaches <see cref="ProviderRateLimit"/>.</summary>
internal sealed class ProviderRateLimitHandler(ProviderRateLimit limit) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await limit.WaitAsync(cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        limit.Observe(response);
        return response;
    }
}
