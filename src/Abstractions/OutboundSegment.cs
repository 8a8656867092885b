namespace OpenClaw.Channels;

/// <summary>One piece of an answer in send order: Markdown text, an image to send as the platform's native image
/// message, or a file of the answer (<see cref="OutboundMessage.Files"/>). Exactly one of <see cref="Text"/>,
/// <see cref="Image"/> and <see cref="File"/> is set.</summary>
/// <param name="Text">Markdown text, or null for an image or a file.</param>
/// <param name="Image">The Markdown image, or null.</param>
/// <param name="File">The file, or null.</param>
public sealed record OutboundSegment(string? Text, MarkdownImage? Image, OutboundFile? File = null);
