using System.Text.RegularExpressions;

namespace OpenClaw.Channels;

/// <summary>Splits long plain text into platform-sized chunks, in order, at natural boundaries. (Markdown is split on its
/// parsed blocks by <c>MarkdownSplitter</c> in Adapters.Common.)</summary>
public static class TextChunker
{
    /// <summary>Splits <paramref name="text"/> into chunks of at most <paramref name="maxLength"/> UTF-16 characters,
    /// breaking at a paragraph (<c>\n\n</c>), then a line break, then a word boundary (each only when it keeps at
    /// least half of <paramref name="maxLength"/>, so every chunk but the last is at least half full), and only as a
    /// last resort inside a word (never between the two halves of a surrogate pair). Whitespace at a break is dropped; text is otherwise kept
    /// as is, so joining the chunks gives back the text up to the whitespace at the breaks.</summary>
    /// <param name="text">The text; null or empty gives no chunks.</param>
    /// <param name="maxLength">Largest chunk, in UTF-16 characters.</param>
    /// <returns>The chunks in order; none is empty or whitespace only.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 2.</exception>
    /// <remarks>Limits: Telegram 4096 (core.telegram.org/bots/api#sendmessage), Discord 2000
    /// (discord.com/developers/docs/resources/message#create-message), Slack 4000 recommended
    /// (docs.slack.dev/reference/methods/chat.postMessage).</remarks>
    public static IReadOnlyList<string> Split(string? text, int maxLength) => Split(text, maxLength, null);

    /// <summary>Splits like <see cref="Split(string?, int)"/>, and never inside a match of
    /// <paramref name="unbreakable"/> (an entity such as <c>&amp;amp;</c>, a link such as <c>&lt;https://x|a label&gt;</c>):
    /// a break that would fall inside one moves to before it. A match longer than a whole chunk is cut like a word.</summary>
    /// <param name="text">The text; null or empty gives no chunks.</param>
    /// <param name="maxLength">Largest chunk, in UTF-16 characters.</param>
    /// <param name="unbreakable">What must stay whole, or null for nothing.</param>
    /// <returns>The chunks in order; none is empty or whitespace only.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 2.</exception>
    public static IReadOnlyList<string> Split(string? text, int maxLength, Regex? unbreakable)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var atoms = unbreakable?.Matches(text);
        var chunks = new List<string>();
        var end = text.Length;
        while (char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        var pos = 0;
        while (char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }

        while (end - pos > maxLength)
        {
            var rest = text.AsSpan(pos, end - pos);
            var window = rest[..maxLength];
            // Prefer a paragraph, then a line break, then a word boundary, as long as it keeps at least half the
            // window: text with one early space (CJK has none between words) is cut full, not at that space.
            var floor = maxLength / 2;
            var cut = window.LastIndexOf("\n\n".AsSpan());
            if (cut < floor)
            {
                cut = window.LastIndexOf('\n');
            }

            if (cut < floor)
            {
                cut = window.LastIndexOfAny(' ', '\t');
            }

            if (cut < floor || cut <= 0)
            {
                cut = maxLength;
                if (char.IsHighSurrogate(rest[cut - 1]))
                {
                    cut--;
                }
            }

            cut = KeepWhole(atoms, pos, cut);
            var piece = rest[..cut].TrimEnd();
            if (!piece.IsEmpty)
            {
                chunks.Add(piece.ToString());
            }

            pos += cut;
            while (pos < end && char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }
        }

        if (end > pos)
        {
            chunks.Add(text[pos..end]);
        }

        return chunks;
    }

    /// <summary>Moves a cut at <paramref name="pos"/> + <paramref name="cut"/> that falls inside an atom to the atom's
    /// start, unless the atom starts the chunk (then it is longer than a chunk and is cut).</summary>
    private static int KeepWhole(MatchCollection? atoms, int pos, int cut)
    {
        if (atoms is null)
        {
            return cut;
        }

        var at = pos + cut;
        foreach (Match atom in atoms)
        {
            if (atom.Index >= at)
            {
                break;
            }

            if (atom.Index < at && at < atom.Index + atom.Length)
            {
                return atom.Index > pos ? atom.Index - pos : cut;
            }
        }

        return cut;
    }
}
