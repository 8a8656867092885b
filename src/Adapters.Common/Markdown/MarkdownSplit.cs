namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>An answer split within a message budget (<see cref="MarkdownSplitter.Split(Markdig.Syntax.MarkdownDocument, ChannelMarkdownRenderer, int, int, string)"/>).</summary>
/// <param name="Chunks">The messages in order, at most the budget; the last ends with the note when shortened.</param>
/// <param name="Shortened">True when the answer did not fit the budget and its end was left out.</param>
public sealed record MarkdownSplit(IReadOnlyList<MarkdownChunk> Chunks, bool Shortened);
