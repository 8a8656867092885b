using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace OpenClaw.Channels.WebChat;

/// <summary>Renders the model's Markdown to HTML that is safe to put into the page: raw HTML in the Markdown is
/// escaped (Markdig's <c>DisableHtml</c>), link and image addresses other than <c>http</c>, <c>https</c> and
/// <c>mailto</c> (so <c>javascript:</c>, <c>data:</c>, <c>vbscript:</c>) are dropped, and links open in a new tab
/// without an opener. The page's Content-Security-Policy forbids inline script as a second line.</summary>
internal static class WebChatMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    /// <summary>Renders <paramref name="markdown"/> (CommonMark with pipe tables, strikethrough and bare-URL links).</summary>
    /// <param name="markdown">The Markdown text; may be empty.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown ?? string.Empty, Pipeline);
        foreach (var inline in document.Descendants<Inline>())
        {
            switch (inline)
            {
                case LinkInline link:
                    if (!IsSafeUrl(link.Url))
                    {
                        link.Url = link.IsImage ? string.Empty : "#";
                    }

                    if (!link.IsImage)
                    {
                        AddLinkAttributes(link.GetAttributes());
                    }

                    break;
                case AutolinkInline autolink:
                    if (!autolink.IsEmail && !IsSafeUrl(autolink.Url))
                    {
                        autolink.Url = "#";
                    }

                    AddLinkAttributes(autolink.GetAttributes());
                    break;
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>True for absolute <c>http</c>, <c>https</c> and <c>mailto</c> addresses.</summary>
    internal static bool IsSafeUrl(string? url)
        => Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
           && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);

    private static void AddLinkAttributes(HtmlAttributes attributes)
    {
        attributes.AddPropertyIfNotExist("target", "_blank");
        attributes.AddPropertyIfNotExist("rel", "noopener noreferrer nofollow");
    }
}
