using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Slack;

/// <summary>A fake Slack on 127.0.0.1: the Web API methods the adapter calls (<c>/api/auth.test</c>,
/// <c>/api/chat.postMessage</c>, <c>/api/chat.update</c>, <c>/api/apps.connections.open</c>, <c>/api/users.info</c>
/// (form-encoded or query arguments only, as read methods take them; a user in <see cref="Users"/>)) with bodies shaped like
/// docs.slack.dev/reference/methods/*, scripted HTTP 429 with <c>Retry-After</c> and <c>ok:false</c> errors, and a Socket
/// Mode WebSocket endpoint (docs.slack.dev/apis/events-api/using-socket-mode/) that sends <c>hello</c>, scripted
/// envelopes and <c>disconnect</c>, and records acks.</summary>
public sealed partial class FakeSlackServer : FakeServer
{
    private readonly ConcurrentQueue<(string Method, int Status, string? Error, int RetryAfterSeconds)> _script = new();
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentDictionary<string, PendingUpload> _uploads = new(StringComparer.Ordinal);
    private int _nextUpload;
    private readonly ConcurrentDictionary<int, FakeSlackSocket> _sockets = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<FakeSlackSocket>> _socketWaiters = new();
    private long _tsCounter;
    private int _opens;
    private int _rateLimited;

    /// <summary>The bot token the Web API accepts.</summary>
    public string BotToken { get; init; } = "xoxb-fake-bot-token";

    /// <summary>The app-level token <c>apps.connections.open</c> accepts.</summary>
    public string AppToken { get; init; } = "xapp-fake-app-token";

    /// <summary>The bot user id <c>auth.test</c> reports.</summary>
    public string BotUserId { get; init; } = "UBOT";

    /// <summary>The team id <c>auth.test</c> reports.</summary>
    public string TeamId { get; init; } = "T0FAKE";

    /// <summary>Users <c>users.info</c> knows, by id; others get <c>user_not_found</c>.</summary>
    public ConcurrentDictionary<string, FakeSlackUser> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Delay before answering <c>users.info</c>, in ms (a slow Slack).</summary>
    public int UsersInfoDelayMs { get; set; }

    /// <summary>Bodies the fake's <c>response_url</c> endpoint received (slash command answers), in order.</summary>
    public ConcurrentQueue<JsonObject> ResponseUrlPosts { get; } = new();

    /// <summary>A <c>response_url</c> on this fake, as Slack puts it in slash command and interaction payloads.</summary>
    public string ResponseUrl(string id) => $"{BaseUrl}/commands/T0FAKE/{id}/fake-response-token";

    /// <summary>What a Slack user sees for <paramref name="mrkdwn"/>: <c>&lt;url|label&gt;</c> shows <c>label</c>,
    /// <c>&lt;url&gt;</c> shows <c>url</c>, and <c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c> show as <c>&amp;</c>,
    /// <c>&lt;</c>, <c>&gt;</c> (docs.slack.dev/messaging/formatting-message-text#escaping). Text that was escaped twice
    /// shows entities, which is what a test catches.</summary>
    public static string Displayed(string mrkdwn)
    {
        var linked = System.Text.RegularExpressions.Regex.Replace(mrkdwn, "<([^<>|]*)(?:\\|([^<>]*))?>", m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value);
        return linked.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
    }

    /// <summary>The Web API base URL to configure, <c>{BaseUrl}/api/</c>.</summary>
    public string ApiBaseUrl => BaseUrl + "/api/";

    /// <summary>Every successful Web API call, in arrival order.</summary>
    public IReadOnlyCollection<RecordedCall> Calls => _calls;

    /// <summary>Successful calls of one method, in order.</summary>
    public IReadOnlyList<RecordedCall> CallsOf(string method) => _calls.Where(c => c.Method == method).ToList();

    /// <summary>How many <c>apps.connections.open</c> calls succeeded.</summary>
    public int ConnectionOpens => Volatile.Read(ref _opens);

    /// <summary>Fault tests: runs after a <c>chat.postMessage</c> was accepted (it is in <see cref="Calls"/>) and before
    /// its response is written, e.g. to kill the store between the platform's acceptance and the hub's record of it.</summary>
    public Func<RecordedCall, Task>? BeforePostMessageResponse { get; set; }

    /// <summary>How many 429 answers were given.</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    /// <summary>Answers the next call of <paramref name="method"/> with HTTP 429, <c>Retry-After</c> and
    /// <c>{"ok":false,"error":"ratelimited"}</c>.</summary>
    public void EnqueueRateLimit(string method, int retryAfterSeconds) => _script.Enqueue((method, 429, "ratelimited", retryAfterSeconds));

    /// <summary>Answers the next call of <paramref name="method"/> with HTTP 200 and <c>{"ok":false,"error":error}</c>.</summary>
    public void EnqueueError(string method, string error) => _script.Enqueue((method, 200, error, 0));

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/{method}", HandleApiAsync);
        app.MapPost("/commands/{team}/{id}/{token}", async (HttpContext c) =>
        {
            // response_url: JSON body (docs.slack.dev/interactivity/handling-user-interaction#message_responses).
            var body = await JsonNode.ParseAsync(c.Request.Body).ConfigureAwait(false) as JsonObject;
            if (body is null)
            {
                return Results.BadRequest();
            }

            ResponseUrlPosts.Enqueue(body);
            return Results.Text("ok");
        });
        app.Map("/socket/{number:int}", HandleSocketAsync);
        app.MapPost("/upload/v1/{fileId}", async (HttpContext c, string fileId) =>
        {
            // The upload_url takes the bytes as the raw body or as a multipart "file" field; it answers "OK - <length>".
            if (!_uploads.TryGetValue(fileId, out var pending))
            {
                return Results.NotFound();
            }

            byte[] data;
            if (c.Request.HasFormContentType)
            {
                var form = await c.Request.ReadFormAsync();
                using var buffer = new MemoryStream();
                if (form.Files.GetFile("file") is not { } file)
                {
                    return Results.BadRequest();
                }

                await file.CopyToAsync(buffer);
                data = buffer.ToArray();
            }
            else
            {
                using var buffer = new MemoryStream();
                await c.Request.Body.CopyToAsync(buffer);
                data = buffer.ToArray();
            }

            if (data.Length > MaxUploadBytes || data.Length != pending.Length)
            {
                return Results.StatusCode(data.Length > MaxUploadBytes ? 413 : 400);
            }

            _uploads[fileId] = pending with { Data = data };
            return Results.Text("OK - " + data.Length.ToString(CultureInfo.InvariantCulture));
        });
        app.MapGet("/files-pri/{teamFile}/download/{name}", async (HttpContext c, string teamFile) =>
        {
            // url_private_download needs "Authorization: Bearer <token>"; the file id follows the team id and a dash.
            if (!string.Equals(c.Request.Headers.Authorization.ToString(), "Bearer " + BotToken, StringComparison.Ordinal))
            {
                c.Response.StatusCode = 403;
                return;
            }

            await Files.ServeAsync(c, teamFile[(teamFile.IndexOf('-', StringComparison.Ordinal) + 1)..]);
        });
    }

    /// <summary>Files the bot uploaded and shared (files.getUploadURLExternal, the upload, files.completeUploadExternal), in order.</summary>
    public ConcurrentQueue<FakeSlackSharedFile> SharedFiles { get; } = new();

    /// <summary>Largest upload the fake accepts at an <c>upload_url</c>, in bytes; more is 413. Default 1 GB (Slack's file limit).</summary>
    public long MaxUploadBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Files users shared, served at <see cref="FileDownloadUrl"/> to requests with the bot token
    /// (docs.slack.dev/reference/objects/file-object: <c>url_private_download</c>).</summary>
    public FakeFileStore Files { get; } = new();

    /// <summary>The <c>url_private_download</c> of a file in <see cref="Files"/>:
    /// <c>{BaseUrl}/files-pri/{TeamId}-{id}/download/{name}</c>.</summary>
    /// <param name="id">The file id (<c>F…</c>).</param>
    /// <param name="name">The file name.</param>
    public string FileDownloadUrl(string id, string name) => $"{BaseUrl}/files-pri/{TeamId}-{id}/download/{Uri.EscapeDataString(name)}";

    private async Task<IResult> HandleApiAsync(HttpContext context, string method)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        var expected = method == "apps.connections.open" ? AppToken : BotToken;
        if (auth != "Bearer " + expected)
        {
            return Results.Json(new { ok = false, error = method == "apps.connections.open" ? "not_allowed_token_type" : "invalid_auth" });
        }

        JsonObject args;
        try
        {
            args = await ReadArgsAsync(context.Request).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Results.Json(new { ok = false, error = "invalid_json" });
        }

        if (TryTakeScript(method, out var scripted))
        {
            if (scripted.Status == 429)
            {
                Interlocked.Increment(ref _rateLimited);
                context.Response.Headers.RetryAfter = scripted.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return Results.Json(new { ok = false, error = scripted.Error }, statusCode: 429);
            }

            return Results.Json(new { ok = false, error = scripted.Error });
        }

        switch (method)
        {
            case "auth.test":
                Record(method, args, null);
                return Results.Json(new { ok = true, url = "https://fake.slack.com/", team = "Fake", user = "openclaw", team_id = TeamId, user_id = BotUserId, bot_id = "BBOT", is_enterprise_install = false });
            case "chat.postMessage":
                {
                    var channel = Str(args, "channel");
                    var text = Str(args, "text");
                    if (string.IsNullOrEmpty(channel))
                    {
                        return Results.Json(new { ok = false, error = "channel_not_found" });
                    }

                    if (string.IsNullOrEmpty(text))
                    {
                        return Results.Json(new { ok = false, error = "no_text" });
                    }

                    if (text.Length > 40000)
                    {
                        return Results.Json(new { ok = false, error = "msg_too_long" });
                    }

                    var ts = NextTs();
                    Record(method, args, ts);
                    if (BeforePostMessageResponse is { } hook)
                    {
                        await hook(_calls.Last(c => c.Ts == ts && c.Method == method)).ConfigureAwait(false);
                    }

                    return Results.Json(new
                    {
                        ok = true,
                        channel,
                        ts,
                        message = new { type = "message", subtype = "bot_message", text, ts, bot_id = "BBOT", thread_ts = Str(args, "thread_ts") },
                    });
                }

            case "files.getUploadURLExternal":
                {
                    // docs.slack.dev/reference/methods/files.getUploadURLExternal: form-encoded filename and length (bytes).
                    var filename = Str(args, "filename");
                    if (string.IsNullOrEmpty(filename) || !long.TryParse(Str(args, "length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length < 1)
                    {
                        return Results.Json(new { ok = false, error = "invalid_arguments" });
                    }

                    var fileId = "F0UP" + Interlocked.Increment(ref _nextUpload).ToString("D5", CultureInfo.InvariantCulture);
                    _uploads[fileId] = new PendingUpload(filename, length, Str(args, "alt_txt"));
                    Record(method, args, null);
                    return Results.Json(new { ok = true, upload_url = $"{BaseUrl}/upload/v1/{fileId}", file_id = fileId });
                }

            case "files.completeUploadExternal":
                {
                    // docs.slack.dev/reference/methods/files.completeUploadExternal: files=[{"id","title"}], channel_id, thread_ts.
                    var filesJson = args["files"] is JsonArray direct ? direct : Str(args, "files") is { } text ? JsonNode.Parse(text) as JsonArray : null;
                    if (filesJson is null || filesJson.Count == 0)
                    {
                        return Results.Json(new { ok = false, error = "invalid_arguments" });
                    }

                    var done = new List<object>();
                    foreach (var entry in filesJson)
                    {
                        var id = entry?["id"]?.GetValue<string>() ?? string.Empty;
                        if (!_uploads.TryRemove(id, out var pending) || pending.Data is null)
                        {
                            return Results.Json(new { ok = false, error = "file_not_found" });
                        }

                        var title = entry?["title"]?.GetValue<string>();
                        SharedFiles.Enqueue(new FakeSlackSharedFile(id, pending.FileName, title, pending.AltText, Str(args, "channel_id"), Str(args, "thread_ts"), pending.Data));
                        done.Add(new { id, title = title ?? pending.FileName });
                    }

                    Record(method, args, null);
                    return Results.Json(new { ok = true, files = done });
                }

            case "chat.update":
                {
                    var channel = Str(args, "channel");
                    var ts = Str(args, "ts");
                    if (string.IsNullOrEmpty(ts) || !_calls.Any(c => c.Method == "chat.postMessage" && c.Ts == ts))
                    {
                        return Results.Json(new { ok = false, error = "message_not_found" });
                    }

                    Record(method, args, ts);
                    return Results.Json(new { ok = true, channel, ts, text = Str(args, "text") });
                }

            case "users.info":
                {
                    if (!context.Request.HasFormContentType && !context.Request.Query.ContainsKey("user"))
                    {
                        // Read methods do not take JSON bodies: the argument is simply not seen.
                        return Results.Json(new { ok = false, error = "invalid_arguments" });
                    }

                    if (UsersInfoDelayMs > 0)
                    {
                        await Task.Delay(UsersInfoDelayMs, context.RequestAborted).ConfigureAwait(false);
                    }

                    var id = Str(args, "user") ?? context.Request.Query["user"].ToString();
                    Record(method, args, null);
                    if (!Users.TryGetValue(id, out var u))
                    {
                        return Results.Json(new { ok = false, error = "user_not_found" });
                    }

                    return Results.Json(new
                    {
                        ok = true,
                        user = new
                        {
                            id,
                            team_id = TeamId,
                            name = u.Name,
                            deleted = false,
                            real_name = u.RealName,
                            is_bot = false,
                            profile = new { real_name = u.RealName, display_name = u.DisplayName, real_name_normalized = u.RealName, display_name_normalized = u.DisplayName },
                        },
                    });
                }

            case "apps.connections.open":
                {
                    var number = Interlocked.Increment(ref _opens);
                    Record(method, args, null);
                    var ws = BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal);
                    return Results.Json(new { ok = true, url = $"{ws}/socket/{number}?ticket=fake-{number}&app_id=A0FAKE" });
                }

            default:
                return Results.Json(new { ok = false, error = "unknown_method" });
        }
    }

    private bool TryTakeScript(string method, out (string Method, int Status, string? Error, int RetryAfterSeconds) scripted)
    {
        // Only the head of the queue is considered, so scripts apply in order.
        if (_script.TryPeek(out scripted) && scripted.Method == method && _script.TryDequeue(out scripted))
        {
            return true;
        }

        scripted = default;
        return false;
    }

    private void Record(string method, JsonObject args, string? ts)
        => _calls.Enqueue(new RecordedCall(method, Str(args, "channel"), Str(args, "text"), Str(args, "thread_ts"), ts ?? Str(args, "ts"), args.ToJsonString(), Clock.GetUtcNow()));

    private string NextTs()
    {
        var n = Interlocked.Increment(ref _tsCounter);
        return string.Create(CultureInfo.InvariantCulture, $"1700000000.{n:D6}");
    }

    private static async Task<JsonObject> ReadArgsAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            var obj = new JsonObject();
            foreach (var (k, v) in form)
            {
                obj[k] = v.ToString();
            }

            return obj;
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(body) ? new JsonObject() : JsonNode.Parse(body) as JsonObject ?? new JsonObject();
    }

    private sealed record PendingUpload(string FileName, long Length, string? AltText, byte[]? Data = null);

    private static string? Str(JsonObject o, string name)
        => o.TryGetPropertyValue(name, out var v) && v is JsonValue jv
            ? jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : jv.ToJsonString()
            : null;
}
