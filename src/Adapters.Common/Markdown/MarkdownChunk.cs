namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>One message of a split answer.</summary>
/// <param name="Text">The rendered text in the platform's format, within the limit as the renderer measures it.</param>
/// <param name="Source">The Markdown the chunk was rendered from when it holds whole blocks only (a plain-text
/// fallback as the model wrote it), or null when a block was cut.</param>
public sealed record MarkdownChunk(string Text, string? Source);
