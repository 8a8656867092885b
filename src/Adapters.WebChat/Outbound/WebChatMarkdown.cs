using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.WebChat;

/// <summary>Renders the model's Markdown to HTML that is safe to put into the page, from the parse every adapter shares
/// (<see cref="ChannelMarkdown.Parse"/>: pipe tables, strikethrough, raw HTML kept as text, so the HTML renderer escapes
/// it). Link and image addresses other than <c>http</c>, <c>https</c> and <c>mailto</c> (so <c>javascript:</c>,
/// <c>data:</c>, <c>vbscript:</c>) are dropped; bare <c>http(s)://</c>, <c>www.</c> and <c>mailto:</c> addresses in the
/// text become links (the shared parse leaves linking to each platform, and a browser links nothing itself); links open
/// in a new tab without an opener. The page's Content-Security-Policy forbids inline script as a second line.</summary>
internal static partial class WebChatMarkdown
{
    /// <summary>Renders <paramref name="markdown"/> (CommonMark with pipe tables, strikethrough and bare-URL links).</summary>
    /// <param name="markdown">The Markdown text; may be empty.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(string markdown)
    {
        var document = ChannelMarkdown.Parse(markdown);
        foreach (var container in document.Descendants<LeafBlock>().Select(b => b.Inline).OfType<ContainerInline>().ToList())
        {
            LinkBareUrls(container);
        }

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

        return document.ToHtml(ChannelMarkdown.Pipeline);
    }

    /// <summary>True for absolute <c>http</c>, <c>https</c> and <c>mailto</c> addresses.</summary>
    internal static bool IsSafeUrl(string? url)
        => Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
           && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);

    [GeneratedRegex(@"(?:https?://|mailto:|www\.)[^\s<>]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();

    /// <summary>Turns bare addresses in the literal text of <paramref name="container"/> (and its emphasis, not inside a
    /// link) into links, as GitHub's autolink extension does: trailing punctuation and an unbalanced <c>)</c> stay text.</summary>
    private static void LinkBareUrls(ContainerInline container)
    {
        MergeLiterals(container);
        for (var inline = container.FirstChild; inline is not null;)
        {
            var next = inline.NextSibling;
            if (inline is LiteralInline literal)
            {
                LinkBareUrls(literal);
            }
            else if (inline is ContainerInline { } inner and not LinkInline)
            {
                LinkBareUrls(inner);
            }

            inline = next;
        }
    }

    private static void LinkBareUrls(LiteralInline literal)
    {
        var text = literal.Content.ToString();
        var at = 0;
        Inline anchor = literal;
        foreach (Match match in BareUrl().Matches(text))
        {
            var url = TrimTrailing(match.Value);
            if (match.Index < at || url.Length < "www.x".Length)
            {
                continue;
            }

            var href = url.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "http://" + url : url;
            var link = new LinkInline(href, string.Empty) { IsAutoLink = true };
            link.AppendChild(new LiteralInline(url));
            anchor = InsertAfter(anchor, text[at..match.Index]);
            anchor.InsertAfter(link);
            anchor = link;
            at = match.Index + url.Length;
        }

        if (!ReferenceEquals(anchor, literal))
        {
            InsertAfter(anchor, text[at..]);
            literal.Remove();
        }
    }

    private static Inline InsertAfter(Inline anchor, string text)
    {
        if (text.Length == 0)
        {
            return anchor;
        }

        var literal = new LiteralInline(text);
        anchor.InsertAfter(literal);
        return literal;
    }

    private static string TrimTrailing(string url)
    {
        var end = url.Length;
        while (end > 0)
        {
            var c = url[end - 1];
            if (c is '.' or ',' or ':' or ';' or '!' or '?' or '\'' or '"' or '*' or '_' or '~'
                || (c == ')' && url.AsSpan(0, end).Count('(') < url.AsSpan(0, end).Count(')')))
            {
                end--;
                continue;
            }

            break;
        }

        return url[..end];
    }

    /// <summary>Joins neighbouring literals (the parser leaves e.g. an unmatched <c>_</c> as a literal of its own), so an
    /// address is found whole.</summary>
    private static void MergeLiterals(ContainerInline container)
    {
        for (var inline = container.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            while (inline is LiteralInline first && first.NextSibling is LiteralInline second)
            {
                var merged = new LiteralInline(first.Content.ToString() + second.Content.ToString());
                first.ReplaceBy(merged);
                second.Remove();
                inline = merged;
            }
        }
    }

    private static void AddLinkAttributes(HtmlAttributes attributes)
    {
        attributes.AddPropertyIfNotExist("target", "_blank");
        attributes.AddPropertyIfNotExist("rel", "noopener noreferrer nofollow");
    }
}
