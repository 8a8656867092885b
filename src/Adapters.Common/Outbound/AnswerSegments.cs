using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Adapters;

/// <summary>An answer in send order for the adapters: its files placed where the text references them
/// (<see cref="OutboundSegments.Split"/>), and in Markdown text its images taken out as image segments
/// (<see cref="MarkdownImages"/>, on the Markdig tree), for <see cref="SegmentedSend"/>.</summary>
public static class AnswerSegments
{
    /// <summary>True when <paramref name="message"/> has a file, or (Markdown only) an image <see cref="MarkdownImages"/>
    /// takes out, so a sender takes the segment path.</summary>
    /// <param name="message">The outbound message.</param>
    /// <returns>Whether it has media.</returns>
    public static bool HasMedia(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Files.Count > 0 || (message.Format == TextFormat.Markdown && MarkdownImages.Contains(message.Text));
    }

    /// <summary>Splits <paramref name="message"/> into text, image and file segments in send order. Images are taken
    /// out of Markdown text only; text segments are trimmed and empty ones dropped.</summary>
    /// <param name="message">The outbound message.</param>
    /// <returns>The segments; none for a blank text without files.</returns>
    public static IReadOnlyList<OutboundSegment> Split(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var segments = OutboundSegments.Split(message);
        return message.Format != TextFormat.Markdown
            ? segments
            : [.. segments.SelectMany(s => s.Text is { } text ? MarkdownImages.Split(text) : [s])];
    }
}
