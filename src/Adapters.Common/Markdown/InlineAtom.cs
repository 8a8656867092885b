using Markdig.Syntax.Inlines;

namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>One unit of a paragraph the splitter may break between: a whole inline element (emphasis, link, code
/// span, line break — never cut), or a word or a run of white space taken from a literal.</summary>
/// <param name="Node">The inline element, or null for a piece of literal text.</param>
/// <param name="Text">The literal text (a word or white space), or null for an element.</param>
/// <param name="IsBreak">True for white space and line breaks: where a paragraph may be split.</param>
public readonly record struct InlineAtom(Inline? Node, string? Text, bool IsBreak)
{
    /// <summary>The top-level inlines of <paramref name="container"/>, each as one whole element (how a block is
    /// rendered when it fits).</summary>
    /// <param name="container">A leaf block's inlines, or null.</param>
    /// <returns>The atoms in order.</returns>
    public static IReadOnlyList<InlineAtom> Whole(ContainerInline? container)
    {
        var atoms = new List<InlineAtom>();
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            atoms.Add(new InlineAtom(inline, null, inline is LineBreakInline));
        }

        return atoms;
    }

    /// <summary>The top-level inlines of <paramref name="container"/> with literals cut into words and white space,
    /// so a paragraph can be split between words, and never inside an element.</summary>
    /// <param name="container">A leaf block's inlines, or null.</param>
    /// <returns>The atoms in order.</returns>
    public static List<InlineAtom> Words(ContainerInline? container)
    {
        var atoms = new List<InlineAtom>();
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            if (inline is LiteralInline literal)
            {
                AddWords(literal.Content.ToString(), atoms);
            }
            else
            {
                atoms.Add(new InlineAtom(inline, null, inline is LineBreakInline));
            }
        }

        return atoms;
    }

    /// <summary>Adds <paramref name="text"/> as word and white-space atoms.</summary>
    /// <param name="text">Plain text.</param>
    /// <param name="atoms">Where to add.</param>
    public static void AddWords(string text, List<InlineAtom> atoms)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(atoms);
        var start = 0;
        while (start < text.Length)
        {
            var space = char.IsWhiteSpace(text[start]);
            var end = start + 1;
            while (end < text.Length && char.IsWhiteSpace(text[end]) == space)
            {
                end++;
            }

            atoms.Add(new InlineAtom(null, text[start..end], space));
            start = end;
        }
    }

    /// <summary>The text a reader sees of <paramref name="inline"/> without its formatting: literals, code, link
    /// labels (an image's alt text), line breaks as <c>\n</c>.</summary>
    /// <param name="inline">An inline element.</param>
    /// <returns>Its plain text.</returns>
    public static string PlainText(Inline inline)
    {
        ArgumentNullException.ThrowIfNull(inline);
        return inline switch
        {
            LiteralInline literal => literal.Content.ToString(),
            CodeInline code => code.Content,
            LineBreakInline => "\n",
            AutolinkInline autolink => autolink.Url,
            HtmlEntityInline entity => entity.Transcoded.ToString(),
            ContainerInline container => string.Concat(EnumerateChildren(container).Select(PlainText)),
            _ => string.Empty,
        };
    }

    private static IEnumerable<Inline> EnumerateChildren(ContainerInline container)
    {
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            yield return child;
        }
    }
}
