namespace OpenClaw.Channels;

/// <summary>Splits long text into platform-sized chunks, in order, at natural boundaries.</summary>
public static class TextChunker
{
    /// <summary>Splits <paramref name="text"/> into chunks of at most <paramref name="maxLength"/> UTF-16 characters,
    /// breaking at a paragraph (<c>\n\n</c>), then a line break (either only when it keeps at least half of
    /// <paramref name="maxLength"/>), then a word boundary, and only as a last resort inside a word
    /// (never between the two halves of a surrogate pair). Whitespace at a break is dropped; text is otherwise kept
    /// as is, so joining the chunks gives back the text up to the whitespace at the breaks.</summary>
    /// <param name="text">The text; null or empty gives no chunks.</param>
    /// <param name="maxLength">Largest chunk, in UTF-16 characters.</param>
    /// <returns>The chunks in order; none is empty or whitespace only.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 2.</exception>
    /// <remarks>Limits: Telegram 4096 (core.telegram.org/bots/api#sendmessage), Discord 2000
    /// (discord.com/developers/docs/resources/message#create-message), Slack 4000 recommended
    /// (docs.slack.dev/reference/methods/chat.postMessage).</remarks>
    public static IReadOnlyList<string> Split(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var chunks = new List<string>();
        var rest = text.AsSpan().Trim();
        while (rest.Length > maxLength)
        {
            var window = rest[..maxLength];
            // Prefer a paragraph, then a line break, as long as it keeps at least half the window.
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

            if (cut <= 0)
            {
                cut = maxLength;
                if (char.IsHighSurrogate(rest[cut - 1]))
                {
                    cut--;
                }
            }

            var piece = rest[..cut].TrimEnd();
            if (!piece.IsEmpty)
            {
                chunks.Add(piece.ToString());
            }

            rest = rest[cut..].TrimStart();
        }

        if (!rest.IsEmpty)
        {
            chunks.Add(rest.ToString());
        }

        return chunks;
    }
}
