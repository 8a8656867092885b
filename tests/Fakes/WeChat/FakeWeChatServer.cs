using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.WeChat;

/// <summary>A fake <c>api.weixin.qq.com</c> and <c>qyapi.weixin.qq.com</c> on loopback, speaking the documented JSON:
/// <c>GET /cgi-bin/token</c> and <c>POST /cgi-bin/stable_token</c>
/// (developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html,
/// …/doc/service/api/base/api_getstableaccesstoken), <c>POST /cgi-bin/message/custom/send</c> and
/// <c>/cgi-bin/message/custom/typing</c> (…/Customer_Service/Customer_Service_Messages.html), WeCom
/// <c>GET /cgi-bin/gettoken</c> and <c>POST /cgi-bin/message/send</c> (developer.work.weixin.qq.com/document/path/91039, 90236).
/// Only the latest issued token is valid (fetching again invalidates the previous one, as <c>/cgi-bin/token</c> does);
/// a wrong token gets errcode 40001.</summary>
public sealed partial class FakeWeChatServer : FakeServer
{
    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private readonly ConcurrentQueue<int> _scriptedSendErrors = new();
    private int _tokenFetches;
    private int _tokenRequests;
    private string? _currentToken;

    /// <summary>The AppId (or CorpId) the fake accepts.</summary>
    public string AppId { get; init; } = "wx0123456789abcdef";

    /// <summary>The AppSecret (or CorpSecret) the fake accepts.</summary>
    public string AppSecret { get; init; } = "test-secret";

    /// <summary><c>expires_in</c> returned with new tokens, in seconds; default 7200.</summary>
    public int ExpiresInSeconds { get; set; } = 7200;

    /// <summary>When set, token requests are held until this task completes (to make concurrent fetches overlap for
    /// as long as the test needs).</summary>
    public Task? TokenGate { get; set; }

    /// <summary>How many token requests arrived (issued or still held by <see cref="TokenGate"/>).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>How many tokens were issued (all token routes together).</summary>
    public int TokenFetches => Volatile.Read(ref _tokenFetches);

    /// <summary>Temporary media served by <c>GET /cgi-bin/media/get?access_token=…&amp;media_id=…</c> (keyed by MediaId).</summary>
    public FakeFileStore Media { get; } = new();

    /// <summary>Messages accepted by a send route, in order.</summary>
    public IReadOnlyCollection<SentMessage> Sent => _sent;

    /// <summary>Every send attempt (accepted or refused), in order.</summary>
    public ConcurrentQueue<SentMessage> Attempts { get; } = new();

    /// <summary>Typing commands received.</summary>
    public ConcurrentQueue<JsonObject> Typing { get; } = new();

    /// <summary>Makes the next send fail once with <paramref name="errcode"/> (e.g. 40001, 42001, 45015, -1).</summary>
    public void FailNextSendWith(int errcode) => _scriptedSendErrors.Enqueue(errcode);

    /// <summary>Expires the current token on the platform side (the next call with it gets 42001).</summary>
    public void ExpireCurrentToken() => _expired = _currentToken;

    private string? _expired;

    /// <summary>Waits until <paramref name="count"/> messages were sent.</summary>
    /// <exception cref="TimeoutException">They did not arrive in time.</exception>
    public Task WaitForSentAsync(int count, TimeSpan timeout)
        => Eventually.UntilAsync(() => _sent.Count >= count, timeout, () => $"fake WeChat: {count} sent message(s), got {_sent.Count}");

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapGet("/cgi-bin/token", async (HttpContext c) =>
        {
            var q = c.Request.Query;
            if (q["grant_type"] != "client_credential" || q["appid"] != AppId || q["secret"] != AppSecret)
            {
                return Results.Json(new { errcode = 40013, errmsg = "invalid appid" });
            }

            return Results.Json(await IssueAsync());
        });

        app.MapPost("/cgi-bin/stable_token", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body);
            if ((string?)body?["grant_type"] != "client_credential" || (string?)body?["appid"] != AppId || (string?)body?["secret"] != AppSecret)
            {
                return Results.Json(new { errcode = 40013, errmsg = "invalid appid" });
            }

            return Results.Json(await IssueAsync());
        });

        app.MapGet("/cgi-bin/gettoken", async (HttpContext c) =>
        {
            var q = c.Request.Query;
            if (q["corpid"] != AppId || q["corpsecret"] != AppSecret)
            {
                return Results.Json(new { errcode = 40001, errmsg = "invalid credential" });
            }

            var issued = await IssueAsync();
            return Results.Json(new { errcode = 0, errmsg = "ok", issued.access_token, issued.expires_in });
        });

        app.MapGet("/cgi-bin/media/get", async (HttpContext c) =>
        {
            // Official Account developers.weixin.qq.com/doc/offiaccount/Asset_Management/Get_temporary_materials.html and
            // WeCom developer.work.weixin.qq.com/document/path/90254: the bytes with their Content-Type, or a JSON error.
            var token = c.Request.Query["access_token"].ToString();
            if (string.IsNullOrEmpty(token) || token != _currentToken)
            {
                await Results.Json(new { errcode = 40001, errmsg = "invalid credential, access_token is invalid or not latest" }).ExecuteAsync(c);
                return;
            }

            var mediaId = c.Request.Query["media_id"].ToString();
            if (Media.Get(mediaId) is null)
            {
                await Results.Json(new { errcode = 40007, errmsg = "invalid media_id" }).ExecuteAsync(c);
                return;
            }

            await Media.ServeAsync(c, mediaId);
        });
        MapUpload(app);
        app.MapPost("/cgi-bin/message/custom/send", (Func<HttpContext, Task<IResult>>)(c => SendAsync(c, "custom")));
        app.MapPost("/cgi-bin/message/send", (Func<HttpContext, Task<IResult>>)(c => SendAsync(c, "wecom")));
        app.MapPost("/cgi-bin/message/custom/typing", async (HttpContext c) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(c.Request.Body))!;
            Typing.Enqueue(body);
            return Results.Json(new { errcode = 0, errmsg = "ok" });
        });
    }

    private async Task<IssuedToken> IssueAsync()
    {
        Interlocked.Increment(ref _tokenRequests);
        if (TokenGate is { } gate)
        {
            await gate;
        }

        var n = Interlocked.Increment(ref _tokenFetches);
        var token = $"ACCESS_TOKEN_{n}_{Guid.NewGuid():N}";
        _currentToken = token;
        return new IssuedToken(token, ExpiresInSeconds);
    }

    private async Task<IResult> SendAsync(HttpContext c, string api)
    {
        var token = c.Request.Query["access_token"].ToString();
        var body = (JsonObject)(await JsonNode.ParseAsync(c.Request.Body))!;
        var message = new SentMessage(api, token, body);
        Attempts.Enqueue(message);
        if (string.IsNullOrEmpty(token) || token != _currentToken)
        {
            return Results.Json(new { errcode = 40001, errmsg = "invalid credential, access_token is invalid or not latest" });
        }

        if (token == _expired)
        {
            return Results.Json(new { errcode = 42001, errmsg = "access_token expired" });
        }

        if (_scriptedSendErrors.TryDequeue(out var errcode))
        {
            if (errcode is 40001 or 42001 or 40014)
            {
                // The platform no longer accepts this token.
                _currentToken = null;
            }

            return Results.Json(new { errcode, errmsg = "scripted error" });
        }

        _sent.Enqueue(message);
        return api == "wecom"
            ? Results.Json(new { errcode = 0, errmsg = "ok", invaliduser = "", msgid = "msg" + _sent.Count })
            : Results.Json(new { errcode = 0, errmsg = "ok" });
    }

    private sealed record IssuedToken(string access_token, int expires_in);
}
