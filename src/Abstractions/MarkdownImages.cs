using System.Text;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels;

/// <summary>Finds Markdown images (<c>![alt](https://…)</c>, optionally with a <c>"title"</c>) in an answer, so a sender
/// can post them as native image messages with the rest as text, in order. Images inside fenced code blocks or inline
/// code spans are text; so are images with relative or non-http(s) URLs.</summary>
public static partial class MarkdownImages
{
    [GeneratedRegex("""!\[(?<alt>[^\]\n]*)\]\((?<url>https?://[^\s)]+)(?:\s+"[^"\n]*")?\)""", RegexOptions.CultureInvariant)]
    private static partial Regex ImagePattern();

    /// <summary>True when <paramref name="text"/> has at least one image <see cref="Split"/> would take out.</summary>
    /// <param name="text">Markdown text.</param>
    public static bool Contains(string text) => Split(text).Any(s => s.Image is not null);

    /// <summary>Splits <paramref name="text"/> into text and image segments in order. Text segments are trimmed and
    /// empty ones dropped; an answer without images is one text segment (or none when blank).</summary>
    /// <param name="text">Markdown text.</param>
    /// <returns>The segments.</returns>
    public static IReadOnlyList<OutboundSegment> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<OutboundSegment>();
        var pending = new StringBuilder();
        var inFence = false;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                pending.Append(line).Append('\n');
                continue;
            }

            if (inFence || !line.Contains("![", StringComparison.Ordinal))
            {
                pending.Append(line).Append('\n');
                continue;
            }

            var at = 0;
            foreach (Match match in ImagePattern().Matches(line))
            {
                if (line.AsSpan(0, match.Index).Count('`') % 2 == 1 || !Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out var url))
                {
                    continue; // inside an inline code span, or not a usable URL
                }

                pending.Append(line, at, match.Index - at);
                Flush(pending, segments);
                segments.Add(new OutboundSegment(null, new MarkdownImage(match.Groups["alt"].Value.Trim(), url)));
                at = match.Index + match.Length;
            }

            pending.Append(line, at, line.Length - at).Append('\n');
        }

        Flush(pending, segments);
        return segments;
    }

    private static void Flush(StringBuilder pending, List<OutboundSegment> segments)
    {
        var text = pending.ToString().Trim();
        pending.Clear();
        if (text.Length > 0)
        {
            segments.Add(new OutboundSegment(text, null));
        }
    }
}
