using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>Finds Markdown images in an answer on the shared parse (<see cref="ChannelMarkdown.Parse"/>): every
/// <see cref="LinkInline"/> with <see cref="LinkInline.IsImage"/> whose address is an absolute <c>http</c> or <c>https</c>
/// URL (<c>![alt](https://…)</c>, with or without a title, or by reference), so a sender can post them as native image
/// messages with the rest as text, in order. What the parser does not read as an image stays text: an image in a code
/// block or code span, an escaped one, relative and non-http(s) addresses (<c>data:</c>, <c>attachment:</c>), and an
/// image inside a link (taking it out would break the link).</summary>
public static class MarkdownImages
{
    /// <summary>True when <paramref name="markdown"/> has at least one image <see cref="Split"/> would take out.</summary>
    /// <param name="markdown">Markdown text.</param>
    /// <returns>Whether it has one.</returns>
    public static bool Contains(string markdown) => Images(ChannelMarkdown.Parse(markdown)).Any();

    /// <summary>Splits <paramref name="markdown"/> into text and image segments in order. A text segment is the source
    /// between two images as the model wrote it (line endings normalized), trimmed; empty ones are dropped. An answer
    /// without images is one text segment (or none when blank).</summary>
    /// <param name="markdown">Markdown text.</param>
    /// <returns>The segments; an image's alt text is the plain text of its label, trimmed.</returns>
    public static IReadOnlyList<OutboundSegment> Split(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = ChannelMarkdown.Parse(markdown);
        var source = ChannelMarkdown.SourceOf(document);
        var segments = new List<OutboundSegment>();
        var at = 0;
        foreach (var (image, url) in Images(document))
        {
            AddText(segments, source[at..image.Span.Start]);
            segments.Add(new OutboundSegment(null, new MarkdownImage(InlineAtom.PlainText(image).Trim(), url)));
            at = image.Span.End + 1;
        }

        AddText(segments, source[at..]);
        return segments;
    }

    /// <summary>The images to take out, in source order.</summary>
    private static IEnumerable<(LinkInline Image, Uri Url)> Images(MarkdownDocument document)
        => document.Descendants<LinkInline>()
            .Where(l => l.IsImage && l.Span.Start >= 0 && !InsideLink(l))
            .Select(l => (Image: l, Url: Uri.TryCreate(l.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null))
            .Where(i => i.Url is not null)
            .OrderBy(i => i.Image.Span.Start)
            .Select(i => (i.Image, i.Url!));

    private static bool InsideLink(Inline inline)
    {
        for (var parent = inline.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is LinkInline)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddText(List<OutboundSegment> segments, string text)
    {
        if (text.Trim() is { Length: > 0 } trimmed)
        {
            segments.Add(new OutboundSegment(trimmed, null));
        }
    }
}
