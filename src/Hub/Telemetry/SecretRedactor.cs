using System.Text.RegularExpressions;

namespace OpenClaw.Channels.Hub.Telemetry;

/// <summary>Removes credentials that platforms put into URLs before a URL reaches a trace: the Telegram bot token
/// (<c>/bot{id}:{secret}/</c>), Discord interaction tokens (<c>/webhooks/{app}/{token}</c>,
/// <c>/interactions/{id}/{token}/</c>) and query strings (WeChat's <c>access_token</c>).</summary>
internal static partial class SecretRedactor
{
    public static string RedactUrl(Uri uri)
    {
        var path = TelegramToken().Replace(uri.AbsolutePath, "/bot{redacted}/");
        path = DiscordToken().Replace(path, "/$1/$2/{redacted}");
        return string.Concat(uri.Scheme, "://", uri.Authority, path, uri.Query.Length > 0 ? "?{redacted}" : string.Empty);
    }

    [GeneratedRegex(@"/bot[0-9]+:[A-Za-z0-9_-]+/")]
    private static partial Regex TelegramToken();

    [GeneratedRegex(@"/(webhooks|interactions)/([0-9]+)/[^/]+")]
    private static partial Regex DiscordToken();
}
