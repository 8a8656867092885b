using System.Text;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels.WeChat;

/// <summary>Text shaping for WeChat: Markdown reduced to plain text, and splitting by UTF-8 bytes within a message budget.</summary>
internal static partial class WeChatText
{
    /// <summary>Reduces CommonMark as models write it to plain text WeChat shows as is: fences and inline code marks,
    /// heading marks, emphasis marks and blockquote marks are dropped; links become <c>text (url)</c>; list bullets become <c>•</c>.</summary>
    public static string ToPlainText(string markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return string.Empty;
        }

        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder(markdown.Length);
        var inFence = false;
        foreach (var raw in lines)
        {
            var line = raw;
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (!inFence)
            {
                line = Heading().Replace(line, string.Empty);
                line = Quote().Replace(line, string.Empty);
                line = Bullet().Replace(line, "$1• ");
                if (HorizontalRule().IsMatch(line))
                {
                    line = "──────";
                }

                line = Image().Replace(line, m => string.IsNullOrEmpty(m.Groups[1].Value) ? m.Groups[2].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
                line = Link().Replace(line, m => m.Groups[1].Value == m.Groups[2].Value ? m.Groups[2].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
                line = Strong().Replace(line, "$2");
                line = Emphasis().Replace(line, "$1$2");
                line = Strike().Replace(line, "$1");
                line = InlineCode().Replace(line, "$1");
            }

            sb.Append(line).Append('\n');
        }

        return sb.ToString().Trim();
    }

    /// <summary>Splits <paramref name="text"/> into at most <paramref name="maxMessages"/> chunks of at most
    /// <paramref name="maxBytes"/> UTF-8 bytes each, at paragraph, line, then word boundaries, filling each chunk as
    /// far as possible. When the text does not fit, the last chunk is cut and ends with <paramref name="shortenedNote"/>.</summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes, int maxMessages, string shortenedNote, out bool shortened)
    {
        shortened = false;
        var chunks = new List<string>();
        var rest = (text ?? string.Empty).Trim();
        while (rest.Length > 0)
        {
            if (chunks.Count == maxMessages - 1)
            {
                // Last allowed message: either all of the rest fits, or it is cut with the note.
                if (Encoding.UTF8.GetByteCount(rest) <= maxBytes)
                {
                    chunks.Add(rest);
                    return chunks;
                }

                var suffix = "\n" + shortenedNote;
                var budget = Math.Max(2, maxBytes - Encoding.UTF8.GetByteCount(suffix));
                var head = Take(rest, budget);
                chunks.Add(head.TrimEnd() + suffix);
                shortened = true;
                return chunks;
            }

            var chunk = Take(rest, maxBytes);
            chunks.Add(chunk);
            rest = rest[chunk.Length..].TrimStart();
        }

        return chunks;
    }

    /// <summary>The first chunk of <paramref name="text"/> (already start-trimmed) within <paramref name="maxBytes"/>,
    /// cut at a natural boundary; it is a prefix of <paramref name="text"/>.</summary>
    private static string Take(string text, int maxBytes)
    {
        var chars = PrefixLengthWithin(text, maxBytes);
        if (chars >= text.Length)
        {
            return text;
        }

        var first = TextChunker.Split(text[..Math.Min(text.Length, chars + 1)], Math.Max(2, chars));
        return first.Count == 0 ? text[..chars] : first[0];
    }

    private static int PrefixLengthWithin(string text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var add = Encoding.UTF8.GetByteCount(text.AsSpan(i, width));
            if (bytes + add > maxBytes)
            {
                break;
            }

            bytes += add;
            i += width;
        }

        return i;
    }

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s{0,3}>\s?")]
    private static partial Regex Quote();

    [GeneratedRegex(@"^(\s*)[-*+]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^\s{0,3}([-*_])(\s*\1){2,}\s*$")]
    private static partial Regex HorizontalRule();

    [GeneratedRegex(@"!\[([^\]]*)\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(^|[\s(])[*_](?=\S)(.+?)(?<=\S)[*_](?=$|[\s).,!?:;])")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"~~(.+?)~~")]
    private static partial Regex Strike();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex InlineCode();
}
