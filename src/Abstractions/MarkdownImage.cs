namespace OpenClaw.Channels;

/// <summary>A Markdown image <c>![alt](url)</c> found in an answer.</summary>
/// <param name="Alt">The alt text (may be empty).</param>
/// <param name="Url">The absolute http(s) URL.</param>
public sealed record MarkdownImage(string Alt, Uri Url);
