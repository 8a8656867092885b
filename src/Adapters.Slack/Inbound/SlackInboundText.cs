using System.Text;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels.Slack;

/// <summary>Turns the text of a Slack message as the platform sends it (docs.slack.dev/messaging/formatting-message-text)
/// into what its reader sees: <c>&lt;@U123&gt;</c> → <c>@display name</c>, <c>&lt;#C1|general&gt;</c> → <c>#general</c>,
/// <c>&lt;!here&gt;</c> / <c>&lt;!channel&gt;</c> / <c>&lt;!everyone&gt;</c> → <c>@here</c> …, <c>&lt;!subteam^S1|@team&gt;</c>
/// → <c>@team</c>, <c>&lt;!date^…|fallback&gt;</c> → the fallback, <c>&lt;https://x|label&gt;</c> →
/// <c>label (https://x)</c>, <c>&lt;https://x&gt;</c> → <c>https://x</c>, <c>&lt;mailto:a@b|a@b&gt;</c> → <c>a@b</c>;
/// then <c>&amp;lt;</c>, <c>&amp;gt;</c> and <c>&amp;amp;</c> are unescaped (once, after the tokens are read, so a
/// literal <c>&lt;</c> typed by the user never starts a token).</summary>
internal static partial class SlackInboundText
{
    /// <summary>Renders <paramref name="text"/>.</summary>
    /// <param name="text">The message text with Slack's escaping and control sequences.</param>
    /// <param name="displayName">Resolves a user id to a display name (null when unknown: the mention keeps its label or id).</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>The readable text.</returns>
    public static async Task<string> RenderAsync(string text, Func<string, CancellationToken, Task<string?>> displayName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(text) || (text.IndexOf('<', StringComparison.Ordinal) < 0 && text.IndexOf('&', StringComparison.Ordinal) < 0))
        {
            return text ?? string.Empty;
        }

        var tokens = TokenRegex().Matches(text);

        // Every mentioned user is looked up at once, so a message naming several stays within one lookup's time.
        var userIds = tokens.Select(t => Target(t.Groups[1].Value)).Where(t => t.StartsWith('@')).Select(t => t[1..]).Distinct(StringComparer.Ordinal).ToList();
        var lookups = userIds.Select(id => displayName(id, cancellationToken)).ToList();
        var found = await Task.WhenAll(lookups).ConfigureAwait(false);
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < userIds.Count; i++)
        {
            names[userIds[i]] = found[i];
        }

        var sb = new StringBuilder(text.Length);
        var last = 0;
        foreach (Match token in tokens)
        {
            sb.Append(SlackMrkdwnRenderer.Unescape(text[last..token.Index]));
            sb.Append(RenderToken(token.Groups[1].Value, names));
            last = token.Index + token.Length;
        }

        sb.Append(SlackMrkdwnRenderer.Unescape(text[last..]));
        return sb.ToString();
    }

    private static string Target(string inner)
    {
        var bar = inner.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? inner : inner[..bar];
    }

    private static string RenderToken(string inner, Dictionary<string, string?> names)
    {
        var bar = inner.IndexOf('|', StringComparison.Ordinal);
        var target = bar < 0 ? inner : inner[..bar];
        var label = bar < 0 ? null : SlackMrkdwnRenderer.Unescape(inner[(bar + 1)..]);
        if (target.StartsWith('@'))
        {
            var userId = target[1..];
            var name = names.GetValueOrDefault(userId);
            return "@" + (name ?? (string.IsNullOrEmpty(label) ? userId : label.TrimStart('@')));
        }

        if (target.StartsWith('#'))
        {
            return "#" + (string.IsNullOrEmpty(label) ? target[1..] : label);
        }

        if (target.StartsWith('!'))
        {
            var special = target[1..];
            if (special.StartsWith("subteam^", StringComparison.Ordinal))
            {
                return string.IsNullOrEmpty(label) ? "@" + special["subteam^".Length..] : "@" + label.TrimStart('@');
            }

            if (special.StartsWith("date^", StringComparison.Ordinal))
            {
                return label ?? string.Empty;
            }

            return special switch
            {
                "here" or "channel" or "everyone" => "@" + special,
                _ => label ?? string.Empty,
            };
        }

        var url = SlackMrkdwnRenderer.Unescape(target);
        if (string.IsNullOrEmpty(label) || label == url)
        {
            return url;
        }

        if (url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && label == url["mailto:".Length..])
        {
            return label;
        }

        return string.Concat(label, " (", url, ")");
    }

    // Slack escapes every literal < and > in message text, so each <…> is a control sequence.
    [GeneratedRegex("<([^<>\n]*)>")]
    private static partial Regex TokenRegex();
}
