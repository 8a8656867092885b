using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Discord;

/// <summary>A fake Discord on 127.0.0.1: the REST API v10 under <c>/api/v10</c> (gateway/bot, create/edit message,
/// typing, interaction webhooks, rate-limit headers, scripted 429s) and a Gateway WebSocket at <c>/gateway</c>
/// (resumes go to <c>/resume</c> so they are observable). Shapes follow discord.com/developers/docs
/// (events/gateway, events/gateway-events, resources/message, topics/rate-limits, interactions/receiving-and-responding).</summary>
public sealed partial class FakeDiscordServer : FakeServer
{
    private readonly Channel<FakeRestCall> _calls = Channel.CreateUnbounded<FakeRestCall>();
    private readonly ConcurrentQueue<FakeRestCall> _allCalls = new();
    private readonly ConcurrentQueue<double> _scripted429 = new();
    private readonly ConcurrentQueue<double> _exhausted = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _spentUntil = new(StringComparer.Ordinal);
    private int _bucketRejections;
    private long _nextId = 1_300_000_000_000_000_000;

    /// <summary>The bot token the REST API and Identify expect.</summary>
    public string BotToken { get; init; } = "fake-bot-token";

    /// <summary>The bot's user id sent in READY.</summary>
    public string BotUserId { get; init; } = "1100000000000000001";

    /// <summary>The application id sent in READY.</summary>
    public string ApplicationId { get; init; } = "1100000000000000001";

    /// <summary>Guild ids the bot is in: after READY each gets a GUILD_CREATE (discord.com/developers/docs/events/gateway-events#guild-create)
    /// with the roles <c>@everyone</c>, <c>Moderators</c> and the bot's managed role <see cref="BotRoleId(string)"/>
    /// (<c>managed:true</c>, <c>tags.bot_id</c> = <see cref="BotUserId"/>). Empty (default) sends none.</summary>
    public IList<string> Guilds { get; } = [];

    /// <summary>The bot's managed role id in <paramref name="guildId"/> (the guild id with its last digit replaced by 7).</summary>
    public static string BotRoleId(string guildId) => guildId[..^1] + "7";

    /// <summary>A role in <paramref name="guildId"/> that is not the bot's (<c>Moderators</c>).</summary>
    public static string OtherRoleId(string guildId) => guildId[..^1] + "5";

    /// <summary>Application commands registered by bulk overwrite, by scope (<c>global</c> or the guild id).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, JsonArray> RegisteredCommands { get; } = new(StringComparer.Ordinal);

    /// <summary>The API base URL for the adapter's <c>ApiBaseUrl</c>, e.g. <c>http://127.0.0.1:1234/api/v10</c>.</summary>
    public string ApiBaseUrl => BaseUrl + "/api/v10";

    /// <summary>Every REST call received, in order.</summary>
    public IReadOnlyCollection<FakeRestCall> Calls => _allCalls;

    /// <summary>Makes the next create-message call answer 429 with <c>retry_after</c> = <paramref name="retryAfterSeconds"/>.</summary>
    public void Script429(double retryAfterSeconds) => _scripted429.Enqueue(retryAfterSeconds);

    /// <summary>Makes the next successful create-message answer say the bucket is spent:
    /// <c>X-RateLimit-Remaining: 0</c> and <c>X-RateLimit-Reset-After</c> = <paramref name="resetAfterSeconds"/>.</summary>
    public void ScriptBucketExhausted(double resetAfterSeconds) => _exhausted.Enqueue(resetAfterSeconds);

    /// <summary>When set, a channel's create-message bucket that a response reported spent stays spent on this clock
    /// until its reset, and a call before then is answered 429 like Discord's (<c>retry_after</c> = the time left,
    /// counted in <see cref="BucketRejections"/>). Null (default): spent buckets are only reported.</summary>
    public TimeProvider? BucketClock { get; set; }

    /// <summary>Calls answered 429 because their bucket was spent (with <see cref="BucketClock"/> set).</summary>
    public int BucketRejections => Volatile.Read(ref _bucketRejections);

    /// <summary>Waits for the next REST call matching <paramref name="match"/>.</summary>
    /// <exception cref="TimeoutException">None in time.</exception>
    public async Task<FakeRestCall> NextCallAsync(Func<FakeRestCall, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var call = await _calls.Reader.ReadAsync(cts.Token);
                if (match(call))
                {
                    return call;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching REST call within {timeout}.");
        }
    }

    /// <summary>Largest upload per message the fake accepts, in bytes (Discord's default for bots: 10 MiB); more is 413
    /// with code 40005.</summary>
    public long MaxUploadBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Attachment files served as the CDN does at <see cref="AttachmentUrl"/> (no token needed).</summary>
    public FakeFileStore Files { get; } = new();

    /// <summary>The attachment <c>url</c> of a file in <see cref="Files"/>, shaped like Discord's CDN URLs:
    /// <c>{BaseUrl}/attachments/{channel}/{id}/{name}?ex=…&amp;is=…&amp;hm=…</c>
    /// (discord.com/developers/docs/resources/message#attachment-object).</summary>
    /// <param name="channelId">The channel id.</param>
    /// <param name="attachmentId">The attachment id (the key in <see cref="Files"/>).</param>
    /// <param name="name">The file name.</param>
    public string AttachmentUrl(string channelId, string attachmentId, string name)
        => $"{BaseUrl}/attachments/{channelId}/{attachmentId}/{Uri.EscapeDataString(name)}?ex=6790a1b2&is=678f5032&hm=0f1e2d3c4b5a";

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapGet("/attachments/{channelId}/{attachmentId}/{name}", (HttpContext context, string attachmentId) => Files.ServeAsync(context, attachmentId));
        app.Map("/gateway", context => AcceptGatewayAsync(context, "/gateway"));
        app.Map("/resume", context => AcceptGatewayAsync(context, "/resume"));

        // GET /users/@me: the bot's user object (discord.com/developers/docs/resources/user#get-current-user).
        app.MapGet("/api/v10/users/@me", (HttpContext context) => Record(context, null)
            ?? Results.Json(new { id = BotUserId, username = "openclaw", discriminator = "0", bot = true }));

        app.MapGet("/api/v10/gateway/bot", (HttpContext context) =>
        {
            if (Record(context, null) is { } refused)
            {
                return refused;
            }

            return Results.Json(new
            {
                url = GatewayUrl,
                shards = RecommendedShards,
                session_start_limit = new { total = 1000, remaining = 999, reset_after = 14_400_000, max_concurrency = MaxConcurrency },
            });
        });

        app.MapPost("/api/v10/channels/{channelId}/messages", async (HttpContext context, string channelId) =>
        {
            var body = await ReadJsonAsync(context);
            if (Record(context, body) is { } refused)
            {
                return refused;
            }

            if (_scripted429.TryDequeue(out var retryAfter))
            {
                context.Response.Headers["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Scope"] = "user";
                context.Response.Headers["X-RateLimit-Bucket"] = "fakebucket01";
                return Results.Json(new { message = "You are being rate limited.", retry_after = retryAfter, global = false }, statusCode: 429);
            }

            if (BucketClock is { } clock && _spentUntil.TryGetValue(channelId, out var until) && clock.GetUtcNow() < until)
            {
                Interlocked.Increment(ref _bucketRejections);
                var left = (until - clock.GetUtcNow()).TotalSeconds;
                context.Response.Headers["Retry-After"] = Math.Ceiling(left).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Scope"] = "user";
                context.Response.Headers["X-RateLimit-Bucket"] = "fakebucket01";
                return Results.Json(new { message = "You are being rate limited.", retry_after = left, global = false }, statusCode: 429);
            }

            var content = body?["content"]?.GetValue<string>() ?? string.Empty;
            if (context.Items["files"] is List<FakeDiscordFile> { Count: > 0 } uploaded && uploaded.Sum(f => (long)f.Data.Length) > MaxUploadBytes)
            {
                return Results.Json(new { code = 40005, message = "Request entity too large" }, statusCode: 413);
            }

            if (content.Length > 2000)
            {
                return Results.Json(
                    new { code = 50035, message = "Invalid Form Body", errors = new { content = new { _errors = new[] { new { code = "BASE_TYPE_MAX_LENGTH", message = "Must be 2000 or fewer in length." } } } } },
                    statusCode: 400);
            }

            AddRateLimitHeaders(context);
            if (_exhausted.TryDequeue(out var resetAfter))
            {
                context.Response.Headers["X-RateLimit-Remaining"] = "0";
                context.Response.Headers["X-RateLimit-Reset-After"] = resetAfter.ToString("F3", CultureInfo.InvariantCulture);
                if (BucketClock is { } spentClock)
                {
                    _spentUntil[channelId] = spentClock.GetUtcNow() + TimeSpan.FromSeconds(resetAfter);
                }
            }

            return Results.Json(MessageObject(channelId, content));
        });

        app.MapPatch("/api/v10/channels/{channelId}/messages/{messageId}", async (HttpContext context, string channelId, string messageId) =>
        {
            var body = await ReadJsonAsync(context);
            if (Record(context, body) is { } refused)
            {
                return refused;
            }

            AddRateLimitHeaders(context);
            var message = MessageObject(channelId, body?["content"]?.GetValue<string>() ?? string.Empty);
            message["id"] = messageId;
            return Results.Json(message);
        });

        app.MapPut("/api/v10/applications/{applicationId}/commands", (HttpContext context, string applicationId) => OverwriteCommandsAsync(context, applicationId, "global"));
        app.MapPut("/api/v10/applications/{applicationId}/guilds/{guildId}/commands", (HttpContext context, string applicationId, string guildId) => OverwriteCommandsAsync(context, applicationId, guildId));

        app.MapPost("/api/v10/channels/{channelId}/typing", (HttpContext context) =>
            Record(context, null) ?? Results.NoContent());

        app.MapPatch("/api/v10/webhooks/{applicationId}/{token}/messages/{messageId}", async (HttpContext context, string token, string messageId) =>
        {
            var body = await ReadJsonAsync(context);
            RecordCall(context, body);
            var message = MessageObject("interaction-channel", body?["content"]?.GetValue<string>() ?? string.Empty);
            if (messageId != "@original")
            {
                message["id"] = messageId;
            }

            return Results.Json(message);
        });

        app.MapPost("/api/v10/interactions/{interactionId}/{token}/callback", async (HttpContext context) =>
        {
            RecordCall(context, await ReadJsonAsync(context));
            return Results.NoContent();
        });

        app.MapPost("/api/v10/webhooks/{applicationId}/{token}", async (HttpContext context) =>
        {
            var body = await ReadJsonAsync(context);
            RecordCall(context, body);
            return context.Request.Query["wait"] == "true"
                ? Results.Json(MessageObject("interaction-channel", body?["content"]?.GetValue<string>() ?? string.Empty))
                : Results.NoContent();
        });
    }

    /// <summary>Bulk overwrite (discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands):
    /// a JSON array of at most 100 commands; CHAT_INPUT names match <c>^[-_\p{L}\p{N}]{1,32}$</c> in lower case,
    /// descriptions are 1–100 characters, options likewise; 400 (code 50035) otherwise; 404 for another application.</summary>
    private async Task<IResult> OverwriteCommandsAsync(HttpContext context, string applicationId, string scope)
    {
        var body = await ReadJsonAsync(context);
        if (Record(context, body) is { } refused)
        {
            return refused;
        }

        if (applicationId != ApplicationId)
        {
            return Results.Json(new { message = "Unknown Application", code = 10002 }, statusCode: 404);
        }

        static bool Valid(JsonNode? c) => c is JsonObject o
            && o["name"]?.GetValue<string>() is { } name && System.Text.RegularExpressions.Regex.IsMatch(name, @"^[-_\p{L}\p{N}]{1,32}$") && name == name.ToLowerInvariant()
            && o["description"]?.GetValue<string>() is { Length: >= 1 and <= 100 }
            && (o["options"] is null || (o["options"] is JsonArray options && options.All(Valid)));

        if (body is not JsonArray commands || commands.Count > 100 || !commands.All(Valid))
        {
            return Results.Json(new { code = 50035, message = "Invalid Form Body" }, statusCode: 400);
        }

        var created = new JsonArray();
        foreach (var command in commands)
        {
            var c = (JsonObject)command!.DeepClone();
            c["id"] = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
            c["application_id"] = applicationId;
            c["version"] = "1";
            if (scope != "global")
            {
                c["guild_id"] = scope;
            }

            created.Add(c);
        }

        RegisteredCommands[scope] = (JsonArray)created.DeepClone();
        return Results.Json(created);
    }

    private IResult? Record(HttpContext context, JsonNode? body)
    {
        RecordCall(context, body);
        return context.Request.Headers.Authorization.ToString() == "Bot " + BotToken
            ? null
            : Results.Json(new { message = "401: Unauthorized", code = 0 }, statusCode: 401);
    }

    private void RecordCall(HttpContext context, JsonNode? body)
    {
        var call = new FakeRestCall(
            context.Request.Method,
            RawPath(context),
            body,
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers.UserAgent.ToString())
        {
            Files = context.Items["files"] as List<FakeDiscordFile> ?? [],
        };
        _allCalls.Enqueue(call);
        _calls.Writer.TryWrite(call);
    }

    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }

    private static void AddRateLimitHeaders(HttpContext context)
    {
        context.Response.Headers["X-RateLimit-Limit"] = "5";
        context.Response.Headers["X-RateLimit-Remaining"] = "4";
        context.Response.Headers["X-RateLimit-Reset"] = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + 1).ToString("F3", CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset-After"] = "1.000";
        context.Response.Headers["X-RateLimit-Bucket"] = "fakebucket01";
    }

    private JsonObject MessageObject(string channelId, string content) => new()
    {
        ["id"] = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture),
        ["channel_id"] = channelId,
        ["type"] = 0,
        ["content"] = content,
        ["author"] = new JsonObject { ["id"] = BotUserId, ["username"] = "openclaw", ["bot"] = true },
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["mentions"] = new JsonArray(),
        ["attachments"] = new JsonArray(),
        ["embeds"] = new JsonArray(),
    };

    /// <summary>The JSON body; for <c>multipart/form-data</c> (discord.com/developers/docs/reference#uploading-files) the
    /// <c>payload_json</c> part, with the <c>files[n]</c> parts kept in <c>HttpContext.Items["files"]</c> for
    /// <see cref="FakeRestCall.Files"/>.</summary>
    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            var files = new List<FakeDiscordFile>();
            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer);
                files.Add(new FakeDiscordFile(file.Name, file.FileName, file.ContentType, buffer.ToArray()));
            }

            context.Items["files"] = files;
            return form.TryGetValue("payload_json", out var payload) ? JsonNode.Parse(payload.ToString()) : null;
        }

        if (context.Request.ContentLength is 0 || !(context.Request.ContentType ?? string.Empty).StartsWith("application/json", StringComparison.Ordinal))
        {
            return null;
        }

        return await JsonNode.ParseAsync(context.Request.Body);
    }
}
