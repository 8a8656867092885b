namespace OpenClaw.Channels.Slack;

/// <summary>Splits mrkdwn into chunks of at most a given length with <see cref="TextChunker.Split"/>, closing a code
/// fence at the end of a chunk and reopening it in the next so every chunk renders on its own.</summary>
internal static class SlackTextSplitter
{
    private const string Fence = "```";

    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        // Room for a closing "\n```" and an opening "```\n".
        var pieces = TextChunker.Split(text, maxLength - 8);
        if (pieces.Count <= 1)
        {
            return pieces;
        }

        var result = new List<string>(pieces.Count);
        var open = false;
        foreach (var piece in pieces)
        {
            var chunk = open ? string.Concat(Fence, "\n", piece) : piece;
            var fences = CountFences(piece);
            if (fences % 2 == 1)
            {
                open = !open;
            }

            if (open)
            {
                chunk = string.Concat(chunk, "\n", Fence);
            }

            result.Add(chunk);
        }

        return result;
    }

    private static int CountFences(string s)
    {
        var count = 0;
        var i = 0;
        while ((i = s.IndexOf(Fence, i, StringComparison.Ordinal)) >= 0)
        {
            count++;
            i += Fence.Length;
        }

        return count;
    }
}
