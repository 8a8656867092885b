using System.Text;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels.Slack;

/// <summary>Converts the CommonMark-style Markdown that models write into Slack mrkdwn
/// (docs.slack.dev/messaging/formatting-message-text): <c>**b**</c> → <c>*b*</c>, <c>*i*</c> / <c>_i_</c> → <c>_i_</c>,
/// <c>~~s~~</c> → <c>~s~</c>, <c>[t](u)</c> → <c>&lt;u|t&gt;</c>, headings → a bold line, <c>- item</c> → <c>• item</c>;
/// code spans and fenced blocks are kept verbatim. Only <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> are escaped.</summary>
public static partial class SlackMarkdown
{
    private const char BoldMark = '\u0001';
    private const char LinkOpen = '\u0002';
    private const char LinkClose = '\u0003';

    /// <summary>Converts Markdown to mrkdwn.</summary>
    /// <param name="markdown">Model output; null gives an empty string.</param>
    /// <returns>Slack mrkdwn text.</returns>
    public static string ToMrkdwn(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return string.Empty;
        }

        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder(markdown.Length + 16);
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                // Slack has no fence languages: "```python" becomes "```".
                inFence = !inFence;
                sb.Append(inFence ? "```" : Escape(trimmed));
                continue;
            }

            sb.Append(inFence ? Escape(line) : ConvertLine(line));
        }

        return sb.ToString();
    }

    /// <summary>Escapes the three characters Slack treats as control characters.</summary>
    /// <param name="text">Plain text.</param>
    /// <returns>The text with <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> replaced by entities.</returns>
    public static string Escape(string text)
        => text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Reverses <see cref="Escape"/>: <c>&amp;lt;</c>, <c>&amp;gt;</c>, then <c>&amp;amp;</c> become the
    /// characters they stand for, once (so <c>&amp;amp;lt;</c> becomes <c>&amp;lt;</c>, as the user typed it).</summary>
    /// <param name="text">Text as Slack sends it.</param>
    /// <returns>The text with the three entities decoded.</returns>
    public static string Unescape(string text)
        => text.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);

    private static string ConvertLine(string line)
    {
        var heading = HeadingRegex().Match(line);
        if (heading.Success)
        {
            var inner = ConvertInline(heading.Groups[1].Value).Replace(BoldMark.ToString(), string.Empty, StringComparison.Ordinal)
                .Replace("*", string.Empty, StringComparison.Ordinal);
            return string.Concat("*", inner.Trim(), "*");
        }

        var prefix = string.Empty;
        var quote = QuoteRegex().Match(line);
        if (quote.Success)
        {
            prefix = "> ";
            line = line[quote.Length..];
        }

        var bullet = BulletRegex().Match(line);
        if (bullet.Success)
        {
            prefix += bullet.Groups[1].Value + "• ";
            line = line[bullet.Length..];
        }

        return prefix + ConvertInline(line);
    }

    private static string ConvertInline(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        var last = 0;
        foreach (Match code in CodeSpanRegex().Matches(text))
        {
            sb.Append(ConvertStyles(text[last..code.Index]));
            sb.Append(Escape(code.Value));
            last = code.Index + code.Length;
        }

        sb.Append(ConvertStyles(text[last..]));
        return sb.ToString();
    }

    private static string ConvertStyles(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var links = new List<string>();
        text = LinkRegex().Replace(text, m =>
        {
            links.Add(string.Concat("<", Escape(m.Groups[2].Value), "|", Escape(m.Groups[1].Value).Replace("|", "¦", StringComparison.Ordinal), ">"));
            return string.Concat(LinkOpen, (links.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), LinkClose);
        });
        text = Escape(text);
        text = BoldStarRegex().Replace(text, m => string.Concat(BoldMark, m.Groups[1].Value, BoldMark));
        text = BoldUnderscoreRegex().Replace(text, m => string.Concat(BoldMark, m.Groups[1].Value, BoldMark));
        text = ItalicStarRegex().Replace(text, "_$1_");
        text = StrikeRegex().Replace(text, "~$1~");
        text = text.Replace(BoldMark, '*');
        if (links.Count > 0)
        {
            text = LinkPlaceholderRegex().Replace(text, m => links[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
        }

        return text;
    }

    /// <summary>What a split of mrkdwn must keep whole: the entities <c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c>
    /// and control sequences such as <c>&lt;https://x|label&gt;</c> or <c>&lt;@U123&gt;</c>.</summary>
    /// <returns>The pattern, for <see cref="TextChunker.SplitMarkdown(string?, int, Regex?)"/>.</returns>
    [GeneratedRegex(@"&(?:amp|lt|gt);|<[^<>\n]*>")]
    public static partial Regex Unbreakable();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"^\s{0,3}>\s?")]
    private static partial Regex QuoteRegex();

    [GeneratedRegex(@"^(\s*)[-*+]\s+")]
    private static partial Regex BulletRegex();

    [GeneratedRegex(@"(`+)(?!`).*?(?<!`)\1(?!`)")]
    private static partial Regex CodeSpanRegex();

    [GeneratedRegex(@"!?\[([^\]\n]+)\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkRegex();

    [GeneratedRegex("\u0002(\\d+)\u0003")]
    private static partial Regex LinkPlaceholderRegex();

    [GeneratedRegex(@"\*\*(?!\s)(.+?)(?<!\s)\*\*")]
    private static partial Regex BoldStarRegex();

    [GeneratedRegex(@"(?<!\w)__(?!\s)(.+?)(?<!\s)__(?!\w)")]
    private static partial Regex BoldUnderscoreRegex();

    [GeneratedRegex(@"(?<![\w*\\])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![\w*])")]
    private static partial Regex ItalicStarRegex();

    [GeneratedRegex(@"~~(?!\s)(.+?)(?<!\s)~~")]
    private static partial Regex StrikeRegex();
}
