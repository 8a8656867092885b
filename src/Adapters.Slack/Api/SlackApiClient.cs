using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;
using Polly;
using Polly.Retry;

namespace OpenClaw.Channels.Slack;

/// <summary>Calls Slack Web API methods (<c>POST {ApiBaseUrl}{method}</c>, JSON body, <c>Authorization: Bearer</c>),
/// paced per channel through the cluster's <see cref="ISharedRateLimiter"/> (a 429 blocks the channel's bucket for its
/// <c>Retry-After</c> on every node) and retried on HTTP 429 (after <c>Retry-After</c>, when it is within
/// <see cref="SlackOptions.MaxRetryAfterSeconds"/>), 5xx and network failures, a bounded number of times
/// (docs.slack.dev/apis/web-api/rate-limits).</summary>
internal sealed class SlackApiClient
{
    /// <summary>Name of the <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "OpenClaw.Channels.Slack";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly SlackOptions _options;
    private readonly ILogger<SlackApiClient> _logger;
    private readonly ISharedRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly RateLimit _pace;
    private readonly ResiliencePipeline _retry;
    private readonly Uri _baseUri;

    public SlackApiClient(IHttpClientFactory httpClientFactory, IOptions<SlackOptions> options, ILogger<SlackApiClient> logger, TimeProvider timeProvider, ISharedRateLimiter limiter)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _logger = logger;
        var baseUrl = _options.ApiBaseUrl.EndsWith('/') ? _options.ApiBaseUrl : _options.ApiBaseUrl + "/";
        _baseUri = new Uri(baseUrl, UriKind.Absolute);
        _limiter = limiter;
        _time = timeProvider;
        _pace = new RateLimit(_options.MessagesPerSecondPerChannel, TimeSpan.FromSeconds(1), _options.BurstPerChannel);
        var maxRetryAfter = _options.MaxRetryAfter;
        _retry = _options.MaxRetries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = timeProvider }
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = _options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromSeconds(1),
                    // A Retry-After above the cap is not waited out here (it would hold the session lock that long):
                    // the failure goes to the caller, whose run is retried later with the lock released.
                    ShouldHandle = new PredicateBuilder().Handle<SlackApiException>(e => e.IsTransient && !(e.RetryAfter > maxRetryAfter)),
                    DelayGenerator = static args => new ValueTask<TimeSpan?>(
                        args.Outcome.Exception is SlackApiException { RetryAfter: { } after } ? after : null),
                    OnRetry = args =>
                    {
                        if (args.Outcome.Exception is SlackApiException e)
                        {
                            SlackLog.Retrying(_logger, e.Method ?? "?", e.ErrorCode ?? "?", args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                        }

                        return default;
                    },
                })
                .Build();
    }

    /// <summary>Calls a Web API method with the bot token, paced by <paramref name="paceKey"/> and retried.</summary>
    /// <param name="method">Method name, e.g. <c>chat.postMessage</c>.</param>
    /// <param name="body">JSON arguments.</param>
    /// <param name="paceKey">Rate-limit partition (the channel id), or null for no pacing.</param>
    /// <param name="cancellationToken">Cancels pacing, retry waits and the HTTP call.</param>
    /// <returns>The response object (with <c>ok:true</c>).</returns>
    /// <exception cref="SlackApiException">Slack refused the call after the retries.</exception>
    public Task<JsonElement> CallAsync(string method, JsonObject body, string? paceKey, CancellationToken cancellationToken)
        => CallAsync(method, body, _options.BotToken, paceKey, cancellationToken);

    /// <summary>Calls a Web API method with an explicit token (the app-level token for <c>apps.connections.open</c>).</summary>
    /// <param name="method">Method name.</param>
    /// <param name="body">JSON arguments.</param>
    /// <param name="token">Bearer token; never logged.</param>
    /// <param name="paceKey">Rate-limit partition, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response object.</returns>
    /// <exception cref="SlackApiException">Slack refused the call after the retries.</exception>
    public Task<JsonElement> CallAsync(string method, JsonObject body, string token, string? paceKey, CancellationToken cancellationToken)
        => CallAsync(method, body.ToJsonString(), "application/json", token, paceKey, cancellationToken);

    /// <summary>Calls a read method with form-encoded arguments (<c>application/x-www-form-urlencoded</c>): read methods
    /// such as <c>users.info</c> do not take JSON bodies (docs.slack.dev/apis/web-api/#methods_supporting_json).</summary>
    /// <param name="method">Method name, e.g. <c>users.info</c>.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Cancels the call and its retry waits.</param>
    /// <returns>The response object (with <c>ok:true</c>).</returns>
    /// <exception cref="SlackApiException">Slack refused the call after the retries.</exception>
    public Task<JsonElement> CallFormAsync(string method, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var form = string.Join('&', arguments.Select(a => Uri.EscapeDataString(a.Key) + "=" + Uri.EscapeDataString(a.Value)));
        return CallAsync(method, form, "application/x-www-form-urlencoded", _options.BotToken, null, cancellationToken);
    }

    /// <summary>Posts a message to a slash command's <c>response_url</c> (JSON, no token: the URL is the credential;
    /// docs.slack.dev/interactivity/handling-user-interaction#message_responses), retried like a Web API call.</summary>
    /// <param name="responseUrl">The <c>response_url</c>; never logged.</param>
    /// <param name="body">The message, e.g. <c>{"response_type":"in_channel","text":"…"}</c>.</param>
    /// <param name="cancellationToken">Cancels the call and its retry waits.</param>
    /// <returns>A task that completes when Slack accepted the message.</returns>
    /// <exception cref="SlackApiException">Slack refused it (HTTP 404 <c>expired_url</c> after 30 minutes or five uses,
    /// other non-2xx) after the retries.</exception>
    public async Task PostResponseUrlAsync(Uri responseUrl, JsonObject body, CancellationToken cancellationToken)
    {
        const string Method = "response_url";
        var payload = body.ToJsonString();
        try
        {
            await _retry.ExecuteAsync(
                async ct =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                    var response = await PlatformHttp.SendAsync(_httpClientFactory.CreateClient(HttpClientName), request, (failure, e) => Failure(Method, "Slack response_url", failure, e), ct).ConfigureAwait(false);
                    using (response)
                    {
                        var status = (int)response.StatusCode;
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            throw new SlackApiException("Slack response_url: ratelimited.")
                            { Method = Method, ErrorCode = "ratelimited", StatusCode = status, RetryAfter = ReadRetryAfter(response) ?? TimeSpan.FromSeconds(1), IsTransient = true };
                        }

                        if (!response.IsSuccessStatusCode)
                        {
                            var code = status == 404 ? "expired_url" : status.ToString(CultureInfo.InvariantCulture);
                            throw new SlackApiException($"Slack response_url: HTTP {status}.") { Method = Method, ErrorCode = code, StatusCode = status, IsTransient = status >= 500 };
                        }
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException e)
        {
            SlackLog.ApiFailed(_logger, Method, e.ErrorCode ?? "?", e.StatusCode ?? 0);
            throw;
        }
    }

    private async Task<JsonElement> CallAsync(string method, string payload, string mediaType, string token, string? paceKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(
                async ct =>
                {
                    if (paceKey is null)
                    {
                        return await SendOnceAsync(method, payload, mediaType, token, ct).ConfigureAwait(false);
                    }

                    // Slack's 1 message/s per channel holds for the app, whichever node sends: the bucket is shared.
                    var bucket = PaceBucket(paceKey);
                    var wait = await _limiter.ReserveAsync(bucket, _pace, ct).ConfigureAwait(false);
                    if (wait > _options.MaxRetryAfter)
                    {
                        // Blocked by a long Retry-After (or a long queue): fail now, the run is retried later.
                        throw new SlackApiException($"Slack {method}: channel paced for {wait.TotalSeconds:F0} s.")
                        { Method = method, ErrorCode = "ratelimited", RetryAfter = wait, IsTransient = true };
                    }

                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, ct).ConfigureAwait(false);
                    }

                    try
                    {
                        return await SendOnceAsync(method, payload, mediaType, token, ct).ConfigureAwait(false);
                    }
                    catch (SlackApiException e) when (e.RetryAfter is { } after && e.StatusCode == 429)
                    {
                        await _limiter.BlockAsync(bucket, _pace, after, ct).ConfigureAwait(false);
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException e)
        {
            SlackLog.ApiFailed(_logger, method, e.ErrorCode ?? "?", e.StatusCode ?? 0);
            throw;
        }
    }

    private async Task<JsonElement> SendOnceAsync(string method, string payload, string mediaType, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, method));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new StringContent(payload, Encoding.UTF8, mediaType);
        var response = await PlatformHttp.SendAsync(_httpClientFactory.CreateClient(HttpClientName), request, (failure, e) => Failure(method, "Slack " + method, failure, e), cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = ReadRetryAfter(response) ?? TimeSpan.FromSeconds(1);
                throw new SlackApiException($"Slack {method}: ratelimited, retry after {retryAfter.TotalSeconds} s.")
                { Method = method, ErrorCode = "ratelimited", StatusCode = status, RetryAfter = retryAfter, IsTransient = true };
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException($"Slack {method}: HTTP {status}.")
                { Method = method, ErrorCode = status.ToString(CultureInfo.InvariantCulture), StatusCode = status, IsTransient = status >= 500 };
            }

            var root = await PlatformHttp.ReadJsonAsync(response, (failure, e) => Failure(method, "Slack " + method, failure, e, status), cancellationToken).ConfigureAwait(false);
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                    ? e.GetString() ?? "unknown_error"
                    : "unknown_error";
                var transient = error is "ratelimited" or "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout";
                throw new SlackApiException($"Slack {method}: {error}.")
                { Method = method, ErrorCode = error, StatusCode = status, IsTransient = transient, RetryAfter = error == "ratelimited" ? ReadRetryAfter(response) ?? TimeSpan.FromSeconds(1) : null };
            }

            return root;
        }
    }

    /// <summary>The exception for a call that got no usable answer: a network failure, a timeout, a body that is not JSON.</summary>
    private static SlackApiException Failure(string method, string call, PlatformCallFailure failure, Exception cause, int? status = null) => failure switch
    {
        PlatformCallFailure.Network => new SlackApiException(call + ": network failure.", cause) { Method = method, ErrorCode = "network_error", IsTransient = true },
        PlatformCallFailure.Timeout => new SlackApiException(call + ": timed out.", cause) { Method = method, ErrorCode = "timeout", IsTransient = true },
        _ => new SlackApiException(call + ": response is not JSON.", cause) { Method = method, ErrorCode = "invalid_response", StatusCode = status, IsTransient = true },
    };

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>The shared pacing bucket of channel <paramref name="channel"/>: <c>slack:channel:{channel}</c>.</summary>
    public static string PaceBucket(string channel) => "slack:channel:" + channel;

    /// <summary>Fetches an image the model's answer names, for upload (no token is sent), at most
    /// <paramref name="maxBytes"/> bytes, through the public-network guard (<c>PublicNetworkGuard</c>).</summary>
    public Task<AttachmentDownload> FetchAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
        => BoundedDownload.ReadAsync(_httpClientFactory.CreateClient(PublicNetworkGuard.HttpClientName("slack")), new HttpRequestMessage(HttpMethod.Get, url), maxBytes, null, cancellationToken);

    /// <summary>Posts file bytes to an <c>upload_url</c> from <c>files.getUploadURLExternal</c> (raw body; the URL is the
    /// credential, no token). One attempt.</summary>
    /// <returns>True when the upload was accepted (2xx).</returns>
    public async Task<bool> UploadAsync(Uri uploadUrl, ReadOnlyMemory<byte> data, string mediaType, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = content };
        try
        {
            using var response = await _httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
