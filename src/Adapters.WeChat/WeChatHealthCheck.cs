using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenClaw.Channels.WeChat;

/// <summary>Ready when an access token is cached or can be fetched (the shared cache makes this cheap); Degraded
/// otherwise, because inbound callbacks still work without it.</summary>
internal sealed class WeChatHealthCheck : IHealthCheck
{
    private readonly WeChatChannelProfile _profile;
    private readonly WeChatAccessTokenCache _tokens;
    private readonly IHttpClientFactory _httpClientFactory;

    public WeChatHealthCheck(WeChatChannelProfile profile, WeChatAccessTokenCache tokens, IHttpClientFactory httpClientFactory)
    {
        _profile = profile;
        _tokens = tokens;
        _httpClientFactory = httpClientFactory;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var api = new WeChatApiClient(_httpClientFactory.CreateClient(WeChatChannelProfile.HttpClientName), _profile);
            await _tokens.GetAsync(_profile, api.FetchTokenAsync, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{_profile.Channel}: access token available");
        }
        catch (WeChatApiException ex)
        {
            return HealthCheckResult.Degraded($"{_profile.Channel}: no access token ({ex.ErrorCode})");
        }
    }
}
