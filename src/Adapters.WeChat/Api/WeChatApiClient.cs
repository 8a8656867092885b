using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WeChat;

/// <summary>Raw calls to the WeChat / WeCom HTTP API. The access token travels in the query string, so no URL is
/// ever put into an exception message or a log line (the named HttpClient has its loggers removed).</summary>
internal sealed class WeChatApiClient
{
    private readonly HttpClient _http;
    private readonly WeChatChannelProfile _profile;

    public WeChatApiClient(HttpClient http, WeChatChannelProfile profile)
    {
        _http = http;
        _profile = profile;
    }

    /// <summary>Fetches a new access token: <c>POST /cgi-bin/stable_token</c>, <c>GET /cgi-bin/token</c> (W-STK, W-TOK)
    /// or WeCom <c>GET /cgi-bin/gettoken</c>.</summary>
    /// <returns>The token and its lifetime in seconds.</returns>
    public async Task<(string Token, int ExpiresInSeconds)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        JsonElement json;
        string path;
        if (_profile.IsWeCom)
        {
            path = "cgi-bin/gettoken";
            json = await SendAsync(HttpMethod.Get, path, string.Concat(path, "?corpid=", Uri.EscapeDataString(_profile.ReceiveId), "&corpsecret=", Uri.EscapeDataString(_profile.Secret)), null, cancellationToken).ConfigureAwait(false);
        }
        else if (_profile.UseStableToken)
        {
            path = "cgi-bin/stable_token";
            var body = new JsonObject
            {
                ["grant_type"] = "client_credential",
                ["appid"] = _profile.ReceiveId,
                ["secret"] = _profile.Secret,
                ["force_refresh"] = false,
            };
            json = await SendAsync(HttpMethod.Post, path, path, body, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            path = "cgi-bin/token";
            json = await SendAsync(HttpMethod.Get, path, string.Concat(path, "?grant_type=client_credential&appid=", Uri.EscapeDataString(_profile.ReceiveId), "&secret=", Uri.EscapeDataString(_profile.Secret)), null, cancellationToken).ConfigureAwait(false);
        }

        if (!json.TryGetProperty("access_token", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(tokenElement.GetString()))
        {
            throw new WeChatApiException($"/{path} returned no access_token.") { ErrorCode = "no_token", IsTransient = true };
        }

        var expiresIn = json.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 7200;
        return (tokenElement.GetString()!, expiresIn);
    }

    /// <summary>POSTs JSON to <paramref name="path"/><c>?access_token=…</c>.</summary>
    /// <returns>The response JSON (errcode 0).</returns>
    /// <exception cref="WeChatApiException">errcode ≠ 0, non-2xx, transport failure or timeout.</exception>
    public Task<JsonElement> PostAsync(string path, string accessToken, JsonObject body, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, path, string.Concat(path, "?access_token=", Uri.EscapeDataString(accessToken)), body, cancellationToken);

    /// <summary>Uploads temporary media: <c>POST /cgi-bin/media/upload?access_token=…&amp;type=…</c>, multipart/form-data
    /// with one part named <c>media</c> carrying <c>filename</c>, <c>filelength</c> and the content type (Official
    /// Account developers.weixin.qq.com/doc/service/api/material/temporary/api_uploadtempmedia; WeCom
    /// developer.work.weixin.qq.com/document/path/90253, 96483). The media id lives three days.</summary>
    /// <returns>The <c>media_id</c>.</returns>
    /// <exception cref="WeChatApiException">errcode ≠ 0, no media_id, non-2xx, transport failure or timeout.</exception>
    public async Task<string> UploadMediaAsync(string accessToken, string type, string fileName, ReadOnlyMemory<byte> data, string mediaType, CancellationToken cancellationToken)
    {
        const string path = "cgi-bin/media/upload";
        var file = new ReadOnlyMemoryContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var disposition = new ContentDispositionHeaderValue("form-data") { Name = "\"media\"", FileName = "\"" + fileName.Replace("\"", string.Empty, StringComparison.Ordinal) + "\"" };
        disposition.Parameters.Add(new NameValueHeaderValue("filelength", data.Length.ToString(CultureInfo.InvariantCulture)));
        file.Headers.ContentDisposition = disposition;
        var form = new MultipartFormDataContent { file };
        var json = await SendContentAsync(
            HttpMethod.Post,
            path,
            string.Concat(path, "?access_token=", Uri.EscapeDataString(accessToken), "&type=", Uri.EscapeDataString(type)),
            form,
            cancellationToken).ConfigureAwait(false);
        return json.TryGetProperty("media_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } mediaId
            ? mediaId
            : throw new WeChatApiException($"/{path} returned no media_id.") { ErrorCode = "no_media_id" };
    }

    private Task<JsonElement> SendAsync(HttpMethod method, string path, string relativeUrl, JsonObject? body, CancellationToken cancellationToken)
        => SendContentAsync(method, path, relativeUrl, body is null ? null : JsonContent.Create(body), cancellationToken);

    private async Task<JsonElement> SendContentAsync(HttpMethod method, string path, string relativeUrl, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_profile.ApiBaseUrl, relativeUrl));
        request.Content = content;

        var response = await PlatformHttp.SendAsync(_http, request, (failure, ex) => Failure(path, failure, ex), cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                throw new WeChatApiException($"/{path}: HTTP {status}.")
                {
                    ErrorCode = "http:" + status.ToString(CultureInfo.InvariantCulture),
                    IsTransient = status >= 500 || status == 429,
                    RetryAfter = response.Headers.RetryAfter?.Delta,
                };
            }

            var json = await PlatformHttp.ReadJsonAsync(response, (failure, ex) => Failure(path, failure, ex), cancellationToken).ConfigureAwait(false);
            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("errcode", out var codeElement)
                && codeElement.TryGetInt32(out var code) && code != 0)
            {
                var errmsg = json.TryGetProperty("errmsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                throw new WeChatApiException($"/{path}: errcode {code.ToString(CultureInfo.InvariantCulture)} {Sanitize(errmsg)}")
                {
                    ErrCode = code,
                    ErrorCode = code.ToString(CultureInfo.InvariantCulture),
                    IsTransient = code == -1,
                };
            }

            return json;
        }
    }

    /// <summary>The exception for a call that got no usable answer. The inner message of a transport failure may name the
    /// host, never the query; it is kept as the cause only.</summary>
    private static WeChatApiException Failure(string path, PlatformCallFailure failure, Exception cause) => failure switch
    {
        PlatformCallFailure.Network => new WeChatApiException($"/{path}: transport failure.", cause) { ErrorCode = "transport", IsTransient = true },
        PlatformCallFailure.Timeout => new WeChatApiException($"/{path}: timed out.", cause) { ErrorCode = "timeout", IsTransient = true },
        _ => new WeChatApiException($"/{path}: response is not JSON.", cause) { ErrorCode = "bad_json", IsTransient = true },
    };

    /// <summary>errmsg sometimes echoes a hint or rid; keep it short and drop anything token-like.</summary>
    private static string Sanitize(string? errmsg)
    {
        if (string.IsNullOrEmpty(errmsg))
        {
            return string.Empty;
        }

        var cut = errmsg.IndexOf("access_token", StringComparison.OrdinalIgnoreCase);
        var text = cut >= 0 ? errmsg[..cut] : errmsg;
        return text.Length > 120 ? text[..120] : text;
    }

    /// <summary>True for the errcodes that mean the token is invalid or expired (40001, 40014, 42001).</summary>
    public static bool IsTokenError(WeChatApiException ex) => ex.ErrCode is 40001 or 40014 or 42001;
}
