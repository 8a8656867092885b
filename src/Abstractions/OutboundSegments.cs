using System.Text;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels;

/// <summary>Puts an answer's text and its files (<see cref="OutboundMessage.Files"/>) in send order. A file goes where the
/// text references it as <c>![alt](attachment:NAME)</c> (outside code; the first reference places it, later ones are
/// dropped; the alt text becomes the file's <see cref="OutboundFile.Alt"/> when it has none), and every file not
/// referenced goes after the text, in list order. A reference to a name that is not among the files stays text. Markdown
/// images (<c>![alt](https://…)</c>) stay in the text here: the adapters take them out on the parsed Markdown
/// (<c>AnswerSegments</c> and <c>MarkdownImages</c> in Adapters.Common).</summary>
public static partial class OutboundSegments
{
    [GeneratedRegex("""!\[(?<alt>[^\]\n]*)\]\(attachment:(?<name>[^\s)]+)\)""", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    /// <summary>Splits <paramref name="message"/> into text and file segments in send order; text segments are trimmed
    /// and empty ones dropped.</summary>
    /// <param name="message">The outbound message.</param>
    /// <returns>The segments; none for a blank text without files.</returns>
    public static IReadOnlyList<OutboundSegment> Split(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var segments = new List<OutboundSegment>();
        var placed = new HashSet<OutboundFile>(ReferenceEqualityComparer.Instance);
        foreach (var (text, file, alt) in Pieces(message.Text, message.Files))
        {
            if (file is null)
            {
                if (text.Trim() is { Length: > 0 } trimmed)
                {
                    segments.Add(new OutboundSegment(trimmed, null));
                }
            }
            else if (placed.Add(file))
            {
                segments.Add(new OutboundSegment(null, null, file.Alt is null && alt.Length > 0 ? file with { Alt = alt } : file));
            }
        }

        segments.AddRange(message.Files.Where(f => !placed.Contains(f)).Select(f => new OutboundSegment(null, null, f)));
        return segments;
    }

    /// <summary>The text with each file written as its placeholder (<see cref="OutboundFile.Placeholder"/>) for a channel
    /// that cannot send files: in place of the file's first reference, or on its own line after the text.</summary>
    /// <param name="text">The answer text.</param>
    /// <param name="files">The answer's files.</param>
    /// <returns>The text with the placeholders; <paramref name="text"/> itself when there are no files.</returns>
    public static string InlinePlaceholders(string text, IReadOnlyList<OutboundFile> files)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder();
        var placed = new HashSet<OutboundFile>(ReferenceEqualityComparer.Instance);
        foreach (var (piece, file, _) in Pieces(text, files))
        {
            if (file is null)
            {
                result.Append(piece);
            }
            else if (placed.Add(file))
            {
                result.Append(file.Placeholder());
            }
        }

        foreach (var file in files.Where(f => !placed.Contains(f)))
        {
            result.Append(result.Length == 0 ? string.Empty : "\n\n").Append(file.Placeholder());
        }

        return result.ToString().Trim();
    }

    /// <summary>The text cut at the references to <paramref name="files"/> outside fenced code and inline code spans.</summary>
    private static List<(string Text, OutboundFile? File, string Alt)> Pieces(string text, IReadOnlyList<OutboundFile> files)
    {
        var pieces = new List<(string, OutboundFile?, string)>();
        if (files.Count == 0 || !text.Contains("](" + OutboundFile.ReferenceScheme, StringComparison.Ordinal))
        {
            pieces.Add((text, null, string.Empty));
            return pieces;
        }

        var pending = new StringBuilder();
        var inFence = false;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var newline = i < lines.Length - 1 ? "\n" : string.Empty;
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence)
            {
                var at = 0;
                foreach (Match match in ReferencePattern().Matches(line))
                {
                    if (line.AsSpan(0, match.Index).Count('`') % 2 == 1 || Find(files, match.Groups["name"].Value) is not { } file)
                    {
                        continue;
                    }

                    pending.Append(line, at, match.Index - at);
                    pieces.Add((pending.ToString(), null, string.Empty));
                    pending.Clear();
                    pieces.Add((string.Empty, file, match.Groups["alt"].Value.Trim()));
                    at = match.Index + match.Length;
                }

                pending.Append(line, at, line.Length - at).Append(newline);
                continue;
            }

            pending.Append(line).Append(newline);
        }

        pieces.Add((pending.ToString(), null, string.Empty));
        return pieces;
    }

    private static OutboundFile? Find(IReadOnlyList<OutboundFile> files, string name)
    {
        var unescaped = Uri.UnescapeDataString(name);
        return files.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal) || string.Equals(f.Name, unescaped, StringComparison.Ordinal));
    }
}
