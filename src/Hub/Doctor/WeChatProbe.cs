using System.Text.Json;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>WeChat Official Account: an access token from <c>POST /cgi-bin/stable_token</c> (or <c>GET /cgi-bin/token</c>
/// with <c>UseStableToken=false</c>); WeCom: <c>GET /cgi-bin/gettoken</c>. The token itself is never printed; the
/// platform's <c>errcode</c> and <c>errmsg</c> are (developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html,
/// developer.work.weixin.qq.com/document/path/91039).</summary>
internal static class WeChatProbe
{
    public static async Task<DoctorResult> ProbeWeChatAsync(IConfiguration configuration, DoctorHttp http, CancellationToken cancellationToken)
    {
        var channel = new ProbedChannel(configuration, "wechat", "Channels:WeChat", "https://api.weixin.qq.com");
        var api = channel.ApiBaseUrl;
        var appId = channel["AppId"] ?? string.Empty;
        var secret = channel["AppSecret"] ?? string.Empty;
        var response = string.Equals(channel["UseStableToken"], "false", StringComparison.OrdinalIgnoreCase)
            ? await http.SendAsync(HttpMethod.Get, $"{api}/cgi-bin/token?grant_type=client_credential&appid={Uri.EscapeDataString(appId)}&secret={Uri.EscapeDataString(secret)}", null, null, cancellationToken).ConfigureAwait(false)
            : await http.SendAsync(HttpMethod.Post, $"{api}/cgi-bin/stable_token", null, new { grant_type = "client_credential", appid = appId, secret, force_refresh = false }, cancellationToken).ConfigureAwait(false);
        return Result("wechat", response, "Channels:WeChat:AppId / Channels:WeChat:AppSecret");
    }

    public static async Task<DoctorResult> ProbeWeComAsync(IConfiguration configuration, DoctorHttp http, CancellationToken cancellationToken)
    {
        var channel = new ProbedChannel(configuration, "wecom", "Channels:WeCom", "https://qyapi.weixin.qq.com");
        var api = channel.ApiBaseUrl;
        var response = await http.SendAsync(
            HttpMethod.Get,
            $"{api}/cgi-bin/gettoken?corpid={Uri.EscapeDataString(channel["CorpId"] ?? string.Empty)}&corpsecret={Uri.EscapeDataString(channel["CorpSecret"] ?? string.Empty)}",
            null,
            null,
            cancellationToken).ConfigureAwait(false);
        return Result("wecom", response, "Channels:WeCom:CorpId / Channels:WeCom:CorpSecret");
    }

    private static DoctorResult Result(string part, DoctorResponse response, string key)
    {
        if (response.IsSuccess && !string.IsNullOrEmpty(response.String("access_token")))
        {
            var expires = response.Body!.Value.TryGetProperty("expires_in", out var e) ? e.GetRawText() : "?";
            return DoctorResult.Ok(part, $"access token issued (expires in {expires} s)");
        }

        var code = response.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("errcode", out var c) ? c.GetRawText() : null;
        var text = code is null ? response.Describe(null) : $"errcode {code}: {response.String("errmsg")}";
        return DoctorResult.Failed(part, "access token: " + text + (code == "40164" ? " — add this server's IP to the IP allowlist in the platform console" : string.Empty), response.TransportError is null ? key : "the network (or ApiBaseUrl)");
    }
}
