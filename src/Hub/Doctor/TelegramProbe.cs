using System.Text.Json;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>Telegram: <c>getMe</c>, then <c>getWebhookInfo</c> (core.telegram.org/bots/api#getwebhookinfo). In
/// polling mode a webhook left set makes every <c>getUpdates</c> answer 409 Conflict, so it is a failure.</summary>
internal static class TelegramProbe
{
    private const string Section = "Channels:Telegram";

    public static async Task<DoctorResult> ProbeAsync(IConfiguration configuration, DoctorHttp http, CancellationToken cancellationToken)
    {
        var channel = new ProbedChannel(configuration, "telegram", Section, "https://api.telegram.org");
        var token = channel["BotToken"] ?? string.Empty;
        var api = $"{channel.ApiBaseUrl}/bot{token}/";
        var polling = !string.Equals(channel["Mode"], "Webhook", StringComparison.OrdinalIgnoreCase);

        var me = await http.SendAsync(HttpMethod.Get, api + "getMe", null, null, cancellationToken).ConfigureAwait(false);
        if (!me.IsSuccess || Result(me) is not { } bot)
        {
            return channel.CallFailed("getMe", me, me.String("description"));
        }

        var name = bot.TryGetProperty("username", out var u) ? "@" + u.GetString() : "bot " + bot.GetProperty("id").GetRawText();
        var info = await http.SendAsync(HttpMethod.Get, api + "getWebhookInfo", null, null, cancellationToken).ConfigureAwait(false);
        if (!info.IsSuccess || Result(info) is not { } webhook)
        {
            return channel.Failed($"getMe {name}; getWebhookInfo: {info.Describe(info.String("description"))}", "BotToken");
        }

        var url = webhook.TryGetProperty("url", out var w) ? w.GetString() ?? string.Empty : string.Empty;
        var lastError = webhook.TryGetProperty("last_error_message", out var e) ? e.GetString() : null;
        if (polling)
        {
            return url.Length == 0
                ? channel.Ok($"getMe {name}; polling, no webhook set")
                : channel.Failed($"getMe {name}; a webhook is set ({Authority(url)}) while {Section}:Mode is Polling: getUpdates answers 409 Conflict until it is removed (deleteWebhook) ", "Mode");
        }

        var state = url.Length == 0 ? "no webhook set yet (the hub sets it at start)" : $"webhook {Authority(url)}";
        return string.IsNullOrEmpty(lastError)
            ? channel.Ok($"getMe {name}; {state}")
            : channel.Failed($"getMe {name}; {state}; Telegram's last delivery error: {lastError}", "WebhookUrl");
    }

    private static JsonElement? Result(DoctorResponse response)
        => response.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True
            && body.TryGetProperty("result", out var result) ? result : null;

    /// <summary>Scheme and host only: the path of a webhook URL is often its secret.</summary>
    private static string Authority(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + "/…" : "an unreadable URL";
}
