using System.Text;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.WeChat;

/// <summary>Text shaping for WeChat: Markdown reduced to plain text, and splitting by UTF-8 bytes within a message budget.</summary>
internal static class WeChatText
{
    /// <summary>Reduces CommonMark as models write it to plain text WeChat shows as is (<see cref="WeChatPlainTextRenderer"/>
    /// on the shared Markdig parse): fences and inline code marks, heading marks, emphasis marks and blockquote marks are
    /// dropped; links become <c>text (url)</c>; list bullets become <c>•</c>.</summary>
    public static string ToPlainText(string markdown)
        => string.IsNullOrEmpty(markdown) ? string.Empty : WeChatPlainTextRenderer.Instance.Render(ChannelMarkdown.Parse(markdown)).Trim();

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
}
