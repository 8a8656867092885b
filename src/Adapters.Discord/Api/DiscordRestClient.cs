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

namespace OpenClaw.Channels.Discord;

/// <summary>A client (over the named <see cref="HttpClientName"/> client of <see cref="IHttpClientFactory"/>) for Discord's REST API v10 (discord.com/developers/docs/reference):
/// bot authentication, the documented User-Agent, rate-limit buckets and bounded retries of 429 (waiting out
/// <c>retry_after</c>) and 5xx answers.</summary>
internal sealed partial class DiscordRestClient
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client, <c>OpenClaw.Channels.Discord</c>.</summary>
    public const string HttpClientName = "OpenClaw.Channels.Discord";

    private const string UserAgent = "DiscordBot (https://github.com/openclaw, 1.0)";

    private readonly IHttpClientFactory _httpFactory;
    private readonly DiscordRateLimiter _limiter;
    private readonly DiscordOptions _options;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly ResiliencePipeline<Attempt> _retry;

    public DiscordRestClient(IHttpClientFactory httpFactory, DiscordRateLimiter limiter, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger)
    {
        _httpFactory = httpFactory;
        _limiter = limiter;
        _options = options.Value;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder<Attempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                ShouldHandle = args => ValueTask.FromResult(_options.MaxRetries > 0 && ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    LogRetry(args.Outcome.Result?.Route.Key ?? "?", (int?)args.Outcome.Result?.Response.StatusCode ?? 0, args.RetryDelay.TotalMilliseconds, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Calls <c>GET /gateway/bot</c>.</summary>
    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(DiscordRoute.Create(HttpMethod.Get, "gateway/bot"), null, cancellationToken).ConfigureAwait(false);
        var root = doc!.RootElement;
        var url = root.GetProperty("url").GetString() ?? throw new DiscordApiException("GET /gateway/bot returned no url.");
        int maxConcurrency = 1, remaining = 1, resetAfterMs = 0;
        if (root.TryGetProperty("session_start_limit", out var limit))
        {
            maxConcurrency = limit.TryGetProperty("max_concurrency", out var mc) ? mc.GetInt32() : 1;
            remaining = limit.TryGetProperty("remaining", out var r) ? r.GetInt32() : 1;
            resetAfterMs = limit.TryGetProperty("reset_after", out var ra) ? ra.GetInt32() : 0;
        }

        var shards = root.TryGetProperty("shards", out var sh) && sh.ValueKind == JsonValueKind.Number ? sh.GetInt32() : 1;
        return new GatewayBotInfo(url, Math.Max(1, maxConcurrency), remaining, resetAfterMs, Math.Max(1, shards));
    }

    /// <summary>Calls <c>GET /users/@me</c> (discord.com/developers/docs/resources/user#get-current-user); returns the
    /// bot's user id.</summary>
    public async Task<string> GetCurrentUserIdAsync(CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(DiscordRoute.Create(HttpMethod.Get, "users/@me"), null, cancellationToken).ConfigureAwait(false);
        return doc!.RootElement.GetProperty("id").GetString() ?? throw new DiscordApiException("GET /users/@me returned no id.");
    }

    /// <summary>Calls <c>POST /channels/{channelId}/messages</c>; returns the new message id.</summary>
    public Task<string?> CreateMessageAsync(string channelId, JsonObject body, CancellationToken cancellationToken)
        => SendForIdAsync(DiscordRoute.Create(HttpMethod.Post, $"channels/{Uri.EscapeDataString(channelId)}/messages"), body, cancellationToken);

    /// <summary>Calls <c>PATCH /channels/{channelId}/messages/{messageId}</c>; returns the message id.</summary>
    public Task<string?> EditMessageAsync(string channelId, string messageId, JsonObject body, CancellationToken cancellationToken)
        => SendForIdAsync(DiscordRoute.Create(HttpMethod.Patch, $"channels/{Uri.EscapeDataString(channelId)}/messages/{Uri.EscapeDataString(messageId)}"), body, cancellationToken);

    /// <summary>Calls <c>POST /channels/{channelId}/typing</c> (204; the indicator lasts 10 s).</summary>
    public async Task TriggerTypingAsync(string channelId, CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(DiscordRoute.Create(HttpMethod.Post, $"channels/{Uri.EscapeDataString(channelId)}/typing"), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls <c>PATCH /webhooks/{applicationId}/{token}/messages/{messageId}</c> (<c>@original</c> edits the
    /// deferred reply); returns the message id.</summary>
    public Task<string?> EditInteractionMessageAsync(string applicationId, string token, string messageId, JsonObject body, CancellationToken cancellationToken)
        => SendForIdAsync(DiscordRoute.Create(HttpMethod.Patch, $"webhooks/{Uri.EscapeDataString(applicationId)}/{Uri.EscapeDataString(token)}/messages/{(messageId == "@original" ? messageId : Uri.EscapeDataString(messageId))}", isInteractionWebhook: true), body, cancellationToken);

    /// <summary>Calls <c>POST /interactions/{interactionId}/{token}/callback</c> (the initial response to an interaction
    /// received over the gateway; due within 3 s).</summary>
    public async Task CreateInteractionResponseAsync(string interactionId, string token, JsonObject body, CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(DiscordRoute.Create(HttpMethod.Post, $"interactions/{Uri.EscapeDataString(interactionId)}/{Uri.EscapeDataString(token)}/callback", isInteractionWebhook: true), body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls <c>POST /webhooks/{applicationId}/{token}?wait=true</c> (a follow-up message); returns its id.</summary>
    public Task<string?> CreateFollowupMessageAsync(string applicationId, string token, JsonObject body, CancellationToken cancellationToken)
        => SendForIdAsync(DiscordRoute.Create(HttpMethod.Post, $"webhooks/{Uri.EscapeDataString(applicationId)}/{Uri.EscapeDataString(token)}?wait=true", isInteractionWebhook: true), body, cancellationToken);

    /// <summary>Calls <c>PUT /applications/{applicationId}/commands</c>, or <c>…/guilds/{guildId}/commands</c> when
    /// <paramref name="guildId"/> is set: replaces the application's commands in that scope with
    /// <paramref name="commands"/> (discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands).</summary>
    /// <returns>How many commands Discord reports registered.</returns>
    /// <exception cref="DiscordApiException">Refused after retries (e.g. 401 bad token, 403 missing
    /// <c>applications.commands</c> scope in the guild, 400 invalid command).</exception>
    public async Task<int> BulkOverwriteCommandsAsync(string applicationId, string? guildId, JsonArray commands, CancellationToken cancellationToken)
    {
        var path = guildId is null
            ? $"applications/{Uri.EscapeDataString(applicationId)}/commands"
            : $"applications/{Uri.EscapeDataString(applicationId)}/guilds/{Uri.EscapeDataString(guildId)}/commands";
        using var doc = await SendAsync(DiscordRoute.Create(HttpMethod.Put, path), commands, cancellationToken).ConfigureAwait(false);
        return doc is not null && doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.GetArrayLength() : 0;
    }

    /// <summary>Calls <c>POST /channels/{channelId}/messages</c> as <c>multipart/form-data</c>: <c>payload_json</c> and the
    /// file as <c>files[0]</c> (discord.com/developers/docs/reference#uploading-files); returns the new message id.</summary>
    public Task<string?> CreateMessageWithFileAsync(string channelId, JsonObject body, DiscordUpload file, CancellationToken cancellationToken)
        => SendForIdAsync(DiscordRoute.Create(HttpMethod.Post, $"channels/{Uri.EscapeDataString(channelId)}/messages"), body, cancellationToken, file);

    /// <summary>Fetches an image the model's answer names, for upload (no token is sent), at most
    /// <paramref name="maxBytes"/> bytes, through the public-network guard (<c>PublicNetworkGuard</c>).</summary>
    public Task<AttachmentDownload> FetchAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
        => BoundedDownload.ReadAsync(_httpFactory.CreateClient(PublicNetworkGuard.HttpClientName("discord")), new HttpRequestMessage(HttpMethod.Get, url), maxBytes, null, cancellationToken);

    private async Task<string?> SendForIdAsync(DiscordRoute route, JsonObject body, CancellationToken cancellationToken, DiscordUpload? file = null)
    {
        using var doc = await SendAsync(route, body, cancellationToken, file).ConfigureAwait(false);
        return doc is not null && doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id)
            ? id.GetString()
            : null;
    }

    /// <summary>Sends one call with pacing and bounded retries.</summary>
    /// <returns>The JSON body, or <see langword="null"/> for an empty (204) answer.</returns>
    /// <exception cref="DiscordApiException">Refused after retries, or the network failed.</exception>
    private async Task<JsonDocument?> SendAsync(DiscordRoute route, JsonNode? body, CancellationToken cancellationToken, DiscordUpload? file = null)
    {
        var json = body?.ToJsonString();
        Attempt attempt;
        try
        {
            attempt = await _retry.ExecuteAsync(
                static async (state, ct) => await state.self.AttemptAsync(state.route, state.json, ct, state.file).ConfigureAwait(false),
                (self: this, route, json, file),
                cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new DiscordApiException($"Discord {route.Method} {RouteName(route)} failed: {ex.Message}", ex) { IsTransient = true };
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DiscordApiException($"Discord {route.Method} {RouteName(route)} timed out.", ex) { IsTransient = true };
        }

        using (attempt)
        {
            var response = attempt.Response;
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
            }

            var (code, message) = ParseError(text);
            var status = (int)response.StatusCode;
            LogRefused(RouteName(route), status, code);
            throw new DiscordApiException($"Discord {route.Method} {RouteName(route)} answered {status}{(code is null ? string.Empty : " code " + code)}: {message}")
            {
                StatusCode = response.StatusCode,
                ErrorCode = code ?? status.ToString(CultureInfo.InvariantCulture),
                RetryAfter = attempt.RetryAfter,
                IsTransient = status == 429 || status >= 500,
            };
        }
    }

    private async Task<Attempt> AttemptAsync(DiscordRoute route, string? json, CancellationToken cancellationToken, DiscordUpload? file = null)
    {
        await _limiter.WaitAsync(route, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(route.Method, route.Path);
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (!route.IsInteractionWebhook && !string.IsNullOrEmpty(_options.BotToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.BotToken);
        }

        if (file is not null)
        {
            request.Content = file.ToContent(json ?? "{}"); // multipart: payload_json + files[0]
        }
        else if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await _httpFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        await _limiter.UpdateAsync(route, response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return new Attempt(route, response, null);
        }

        var (retryAfter, global) = await ReadRetryAfterAsync(response, cancellationToken).ConfigureAwait(false);
        await _limiter.BlockAsync(route, retryAfter, global, cancellationToken).ConfigureAwait(false);
        LogRateLimited(RouteName(route), retryAfter.TotalMilliseconds, global);
        return new Attempt(route, response, retryAfter);
    }

    private bool ShouldRetry(Outcome<Attempt> outcome)
    {
        if (outcome.Exception is HttpRequestException)
        {
            return true;
        }

        if (outcome.Result is not { } attempt)
        {
            return false;
        }

        var status = (int)attempt.Response.StatusCode;
        if (status == 429)
        {
            return attempt.RetryAfter is { } wait && wait.TotalMilliseconds <= _options.MaxRetryAfterMs;
        }

        return status >= 500;
    }

    private static async Task<(TimeSpan RetryAfter, bool Global)> ReadRetryAfterAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        double? seconds = null;
        var global = response.Headers.TryGetValues("X-RateLimit-Global", out var g) && g.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        try
        {
            // The body is buffered by HttpClient, so reading it here leaves it readable for the final error.
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("retry_after", out var ra) && ra.TryGetDouble(out var s))
            {
                seconds = s;
            }

            if (doc.RootElement.TryGetProperty("global", out var gl) && gl.ValueKind == JsonValueKind.True)
            {
                global = true;
            }
        }
        catch (JsonException)
        {
            // Fall back to the header below (a 429 from Cloudflare may be HTML).
        }

        if (seconds is null && response.Headers.RetryAfter?.Delta is { } delta)
        {
            seconds = delta.TotalSeconds;
        }

        return (TimeSpan.FromSeconds(Math.Max(0, seconds ?? 1)), global);
    }

    private static (string? Code, string Message) ParseError(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var code = root.TryGetProperty("code", out var c) ? c.ToString() : null;
            var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, "non-JSON error body");
        }
    }

    // The route key hides the webhook token; it is safe to log.
    private static string RouteName(DiscordRoute route) => route.Key[(route.Key.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Discord rate limited {Route}: waiting {RetryAfterMs} ms (global: {Global})")]
    private partial void LogRateLimited(string route, double retryAfterMs, bool global);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Retrying Discord {Route} after status {Status} in {DelayMs} ms (attempt {Attempt})")]
    private partial void LogRetry(string route, int status, double delayMs, int attempt);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Discord refused {Route}: status {Status}, code {Code}")]
    private partial void LogRefused(string route, int status, string? code);

    private sealed class Attempt(DiscordRoute route, HttpResponseMessage response, TimeSpan? retryAfter) : IDisposable
    {
        public DiscordRoute Route { get; } = route;

        public HttpResponseMessage Response { get; } = response;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public void Dispose() => Response.Dispose();
    }
}
