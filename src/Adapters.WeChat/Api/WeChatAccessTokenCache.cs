using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.WeChat;

/// <summary>One access token per account, shared by all nodes through <see cref="IChannelStateStore"/>
/// (key <c>wechat:{appid}:access_token</c> / <c>wecom:{corpid}:{agentid}:access_token</c>, TTL = expires_in − margin).
/// A refresh is single-flight across nodes: the node that wins the <c>…:lease</c> key fetches, the others wait and
/// re-read. Fetching again invalidates the previous token (W-TOK), hence one refresher.</summary>
internal sealed class WeChatAccessTokenCache
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly IChannelStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _owner = Guid.NewGuid().ToString("N");

    public WeChatAccessTokenCache(IChannelStateStore store, TimeProvider time, ILogger<WeChatAccessTokenCache> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Returns the cached token or fetches one (single flight).</summary>
    /// <exception cref="WeChatApiException">The fetch failed, or no token appeared within 30 s.</exception>
    public async Task<string> GetAsync(WeChatChannelProfile profile, Func<CancellationToken, Task<(string Token, int ExpiresInSeconds)>> fetch, CancellationToken cancellationToken)
    {
        var key = profile.TokenCacheKey;
        var leaseKey = key + ":lease";
        var started = _time.GetTimestamp();
        while (true)
        {
            var cached = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(cached))
            {
                return cached;
            }

            if (await _store.TrySetIfAbsentAsync(leaseKey, _owner, LeaseTtl, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // Another holder may have stored a token between our read and our lease.
                    cached = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
                    if (!string.IsNullOrEmpty(cached))
                    {
                        return cached;
                    }

                    var (token, expiresIn) = await fetch(cancellationToken).ConfigureAwait(false);
                    var margin = Math.Min(profile.TokenRefreshMarginSeconds, expiresIn / 2);
                    var ttl = TimeSpan.FromSeconds(Math.Max(1, expiresIn - margin));
                    await _store.SetAsync(key, token, ttl, cancellationToken).ConfigureAwait(false);
                    WeChatLog.TokenRefreshed(_logger, profile.Channel, profile.AccountId, (int)ttl.TotalSeconds);
                    return token;
                }
                finally
                {
                    await _store.DeleteAsync(leaseKey, CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (_time.GetElapsedTime(started) > MaxWait)
            {
                throw new WeChatApiException("Timed out waiting for another node to refresh the access token.")
                {
                    ErrorCode = "token_wait_timeout",
                    IsTransient = true,
                };
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the cached token when it is still <paramref name="badToken"/> (a newer one stays).</summary>
    public async Task InvalidateAsync(WeChatChannelProfile profile, string badToken, CancellationToken cancellationToken)
    {
        var key = profile.TokenCacheKey;
        var cached = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (string.Equals(cached, badToken, StringComparison.Ordinal))
        {
            await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            WeChatLog.TokenInvalidated(_logger, profile.Channel, profile.AccountId);
        }
    }
}
