using System.Text.Json;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>Slack: <c>auth.test</c> with the bot token (api.slack.com/methods/auth.test) and, in Socket Mode,
/// <c>apps.connections.open</c> with the app-level token (api.slack.com/methods/apps.connections.open; the WebSocket URL
/// it returns is not opened or printed).</summary>
internal static class SlackProbe
{
    private const string Section = "Channels:Slack";

    public static async Task<DoctorResult> ProbeAsync(IConfiguration configuration, DoctorHttp http, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(Section);
        var api = (section["ApiBaseUrl"] is { Length: > 0 } b ? b : "https://slack.com/api/").TrimEnd('/') + "/";
        var auth = await http.SendAsync(HttpMethod.Post, api + "auth.test", section["BotToken"], new { }, cancellationToken).ConfigureAwait(false);
        if (!Ok(auth))
        {
            return DoctorResult.Failed("slack", "auth.test: " + auth.Describe(auth.String("error")), auth.TransportError is null ? $"{Section}:BotToken" : $"{Section}:ApiBaseUrl or the network");
        }

        var who = $"auth.test {auth.String("user") ?? "bot"} in {auth.String("team") ?? "workspace"}";
        if (!string.Equals(section["Mode"], "SocketMode", StringComparison.OrdinalIgnoreCase))
        {
            return DoctorResult.Ok("slack", $"{who}; Events API (signing secret {(string.IsNullOrEmpty(section["SigningSecret"]) ? "missing" : "set")})");
        }

        var open = await http.SendAsync(HttpMethod.Post, api + "apps.connections.open", section["AppToken"], new { }, cancellationToken).ConfigureAwait(false);
        return Ok(open)
            ? DoctorResult.Ok("slack", $"{who}; Socket Mode: apps.connections.open gave a WebSocket URL")
            : DoctorResult.Failed("slack", $"{who}; apps.connections.open: {open.Describe(open.String("error"))}", $"{Section}:AppToken");
    }

    private static bool Ok(DoctorResponse response)
        => response.IsSuccess && response.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;
}
