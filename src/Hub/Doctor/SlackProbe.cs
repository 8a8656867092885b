using System.Text.Json;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>Slack: <c>auth.test</c> with the bot token (api.slack.com/methods/auth.test) and, in Socket Mode,
/// <c>apps.connections.open</c> with the app-level token (api.slack.com/methods/apps.connections.open; the WebSocket URL
/// it returns is not opened or printed).</summary>
internal static class SlackProbe
{
    public static async Task<DoctorResult> ProbeAsync(IConfiguration configuration, DoctorHttp http, CancellationToken cancellationToken)
    {
        var channel = new ProbedChannel(configuration, "slack", "Channels:Slack", "https://slack.com/api/");
        var api = channel.ApiBaseUrl + "/";
        var auth = await http.SendAsync(HttpMethod.Post, api + "auth.test", channel["BotToken"], new { }, cancellationToken).ConfigureAwait(false);
        if (!Ok(auth))
        {
            return channel.CallFailed("auth.test", auth, auth.String("error"));
        }

        var who = $"auth.test {auth.String("user") ?? "bot"} in {auth.String("team") ?? "workspace"}";
        if (!string.Equals(channel["Mode"], "SocketMode", StringComparison.OrdinalIgnoreCase))
        {
            return channel.Ok($"{who}; Events API (signing secret {(string.IsNullOrEmpty(channel["SigningSecret"]) ? "missing" : "set")})");
        }

        var open = await http.SendAsync(HttpMethod.Post, api + "apps.connections.open", channel["AppToken"], new { }, cancellationToken).ConfigureAwait(false);
        return Ok(open)
            ? channel.Ok($"{who}; Socket Mode: apps.connections.open gave a WebSocket URL")
            : channel.Failed($"{who}; apps.connections.open: {open.Describe(open.String("error"))}", "AppToken");
    }

    private static bool Ok(DoctorResponse response)
        => response.IsSuccess && response.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;
}
