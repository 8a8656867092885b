namespace OpenClaw.Channels.Discord;

/// <summary>One REST call's route: the relative path sent, and the rate-limit key (method + path with the
/// non-major ids replaced) that Discord groups into buckets.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path relative to the API base, without a leading slash, e.g. <c>channels/123/messages</c>.</param>
/// <param name="Key">Method and templated path, e.g. <c>POST channels/123/messages</c>.</param>
/// <param name="MajorParameter">The channel id, guild id or webhook id+token the route is scoped to.</param>
/// <param name="IsInteractionWebhook">True for <c>webhooks/{application_id}/{token}</c> and
/// <c>interactions/{id}/{token}/callback</c> routes: no bot token and not subject to the global limit.</param>
internal sealed record DiscordRoute(HttpMethod Method, string Path, string Key, string MajorParameter, bool IsInteractionWebhook)
{
    /// <summary>Builds a route from a relative path.</summary>
    public static DiscordRoute Create(HttpMethod method, string path, bool isInteractionWebhook = false)
    {
        var segments = path.Split('?')[0].Split('/');
        var major = string.Empty;
        for (var i = 0; i < segments.Length; i++)
        {
            var majorHere = i > 0 && segments[i - 1] is "channels" or "guilds" or "webhooks" or "interactions" && major.Length == 0;
            if (majorHere)
            {
                major = segments[i];
                if (segments[i - 1] is "webhooks" or "interactions" && i + 1 < segments.Length)
                {
                    major = string.Concat(major, "/", segments[i + 1]);
                    segments[i + 1] = "{token}";
                    i++;
                }
            }
            else if (segments[i].Length > 0 && segments[i].All(char.IsAsciiDigit))
            {
                segments[i] = "{id}";
            }
        }

        return new DiscordRoute(method, path, string.Concat(method.Method, " ", string.Join('/', segments)), major, isInteractionWebhook);
    }
}
