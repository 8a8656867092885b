namespace OpenClaw.Channels;

/// <summary>One piece of an answer in send order: Markdown text, or an image to send as the platform's native image
/// message. Exactly one of <see cref="Text"/> and <see cref="Image"/> is set.</summary>
/// <param name="Text">Markdown text, or null for an image.</param>
/// <param name="Image">The image, or null for text.</param>
public sealed record OutboundSegment(string? Text, MarkdownImage? Image);
