using System.Globalization;
using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>Renders a document parsed by <see cref="ChannelMarkdown"/> into one platform's text format, block by
/// block, and measures rendered text the way that platform counts its message limit. Each adapter derives its own
/// (Telegram HTML, Slack mrkdwn, Discord Markdown, WeChat plain text); <see cref="MarkdownSplitter"/> uses the same
/// renderer to render whole blocks, or parts of a block when one does not fit a message.</summary>
public abstract class ChannelMarkdownRenderer
{
    /// <summary>The length of <paramref name="rendered"/> as the platform counts it against its message limit.</summary>
    /// <param name="rendered">Text this renderer produced (or a separator).</param>
    /// <returns>The length, in the platform's unit. Must add up over concatenation.</returns>
    public abstract int Measure(string rendered);

    /// <summary>Plain text made safe for the platform's format (its escaping).</summary>
    /// <param name="text">Plain text.</param>
    /// <returns>The escaped text.</returns>
    public abstract string Escape(string text);

    /// <summary>Renders a paragraph, a heading or a table cell, or a run of its atoms when the splitter cuts it.</summary>
    /// <param name="owner">The leaf block the atoms belong to (a <see cref="HeadingBlock"/> is rendered as a heading).</param>
    /// <param name="atoms">Whole inline elements and literal words/white space, in order.</param>
    /// <returns>The rendered text.</returns>
    public abstract string RenderInlines(LeafBlock owner, IReadOnlyList<InlineAtom> atoms);

    /// <summary>Renders a code block with <paramref name="lines"/> as its content: the whole block, or one complete
    /// block (opened and closed, with the block's language) per part when the splitter cuts it.</summary>
    /// <param name="code">The fenced or indented code block.</param>
    /// <param name="lines">Its lines (all of them, or a consecutive part; a part of an overlong line).</param>
    /// <returns>The rendered block.</returns>
    public abstract string RenderCode(CodeBlock code, IReadOnlyList<string> lines);

    /// <summary>Wraps rendered content of <paramref name="quote"/> as a quotation.</summary>
    /// <param name="quote">The quote block.</param>
    /// <param name="inner">Its rendered children (all, or a part).</param>
    /// <returns>The quotation.</returns>
    public abstract string WrapQuote(QuoteBlock quote, string inner);

    /// <summary>What starts a list item: its indent (the item's column in the source, so nested lists stay nested)
    /// and <c>• </c>, or its number and delimiter (<c>1. </c>) for ordered lists.</summary>
    /// <param name="item">The list item.</param>
    /// <returns>The marker text, already in the platform's format.</returns>
    public virtual string ListMarker(ListItemBlock item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var indent = new string(' ', Math.Max(0, item.Column - ContentColumn(item)));
        if (item.Parent is ListBlock { IsOrdered: true } list)
        {
            return Escape(string.Concat(indent, item.Order.ToString(CultureInfo.InvariantCulture), list.OrderedDelimiter.ToString()) + " ");
        }

        return indent + "• ";
    }

    /// <summary>Writes the inlines every text format writes alike: literal text escaped, a line break as <c>\n</c>, an
    /// entity (<c>&amp;amp;</c>) as the model wrote it, escaped so it shows as written.</summary>
    /// <param name="sb">Where to write.</param>
    /// <param name="inline">The inline element.</param>
    /// <returns>True when <paramref name="inline"/> was one of them and is written; false for any other element.</returns>
    protected bool TryWriteText(StringBuilder sb, Inline inline)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (inline)
        {
            case LiteralInline literal:
                sb.Append(Escape(literal.Content.ToString()));
                return true;
            case LineBreakInline:
                sb.Append('\n');
                return true;
            case HtmlEntityInline entity:
                sb.Append(Escape(entity.Original.ToString()));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Renders a horizontal rule.</summary>
    /// <param name="rule">The thematic break.</param>
    /// <returns>A line that stands for it.</returns>
    public virtual string RenderThematicBreak(ThematicBreakBlock rule) => "──────────";

    /// <summary>Renders table <paramref name="rows"/> as pipe-separated lines (<c>| a | b |</c>), a <c>|---|</c> line after
    /// the header, each cell rendered by <see cref="RenderInlines"/>.</summary>
    /// <param name="table">The table.</param>
    /// <param name="rows">All of its rows, or the header plus a part of them.</param>
    /// <returns>The rendered rows.</returns>
    public virtual string RenderTable(Table table, IReadOnlyList<TableRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            var cells = row.OfType<TableCell>()
                .Select(c => string.Join(" ", c.OfType<LeafBlock>().Select(l => RenderInlines(l, InlineAtom.Whole(l.Inline)).Trim())));
            // '|' and '-' need no escaping in any platform format (they are table syntax in Markdown itself).
            sb.Append("| ").Append(string.Join(" | ", cells)).Append(" |");
            if (row.IsHeader)
            {
                sb.Append('\n').Append('|').Append(string.Join("|", row.OfType<TableCell>().Select(_ => "---"))).Append('|');
            }
        }

        return sb.ToString();
    }

    /// <summary>The separator between two sibling blocks: <c>\n\n</c> where the source had a blank line, else <c>\n</c>.</summary>
    /// <param name="previous">The earlier block.</param>
    /// <param name="next">The later block.</param>
    /// <returns>The separator text.</returns>
    public virtual string Separator(Block previous, Block next) => ChannelMarkdown.BlankLineBetween(previous, next) ? "\n\n" : "\n";

    /// <summary>Renders a whole document.</summary>
    /// <param name="document">A document from <see cref="ChannelMarkdown.Parse"/>.</param>
    /// <returns>The rendered text.</returns>
    public string Render(MarkdownDocument document) => RenderChildren(document);

    /// <summary>Renders one whole block (a list item with its marker, a quote with its children).</summary>
    /// <param name="block">The block.</param>
    /// <returns>The rendered text; empty for blocks that show nothing (link reference definitions).</returns>
    public virtual string RenderBlock(Block block) => block switch
    {
        CodeBlock code => RenderCode(code, LinesOf(code)),
        ParagraphBlock or HeadingBlock => RenderInlines((LeafBlock)block, InlineAtom.Whole(((LeafBlock)block).Inline)),
        ThematicBreakBlock rule => RenderThematicBreak(rule),
        Table table => RenderTable(table, table.OfType<TableRow>().ToList()),
        ListItemBlock item => ListMarker(item) + RenderChildren(item),
        QuoteBlock quote => WrapQuote(quote, RenderChildren(quote)),
        LinkReferenceDefinitionGroup or LinkReferenceDefinition => string.Empty,
        ContainerBlock container => RenderChildren(container),
        LeafBlock leaf => Escape(string.Join('\n', LinesOf(leaf))),
        _ => string.Empty,
    };

    /// <summary>The lines of a leaf block's content (a code block's code, without fences).</summary>
    /// <param name="leaf">The block.</param>
    /// <returns>The lines in order.</returns>
    public static IReadOnlyList<string> LinesOf(LeafBlock leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var lines = new List<string>(leaf.Lines.Count);
        for (var i = 0; i < leaf.Lines.Count; i++)
        {
            lines.Add(leaf.Lines.Lines[i].Slice.ToString());
        }

        return lines;
    }

    /// <summary>Renders the children of <paramref name="container"/>, joined by <see cref="Separator"/>.</summary>
    /// <param name="container">The container.</param>
    /// <returns>The rendered children.</returns>
    protected string RenderChildren(ContainerBlock container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var sb = new StringBuilder();
        Block? previous = null;
        foreach (var child in container)
        {
            var text = RenderBlock(child);
            if (text.Length == 0)
            {
                continue;
            }

            if (previous is not null)
            {
                sb.Append(Separator(previous, child));
            }

            sb.Append(text);
            previous = child;
        }

        return sb.ToString();
    }

    /// <summary>The source column where the content of the quote around <paramref name="block"/> starts (0 outside quotes).</summary>
    private static int ContentColumn(Block block)
    {
        for (var parent = block.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is QuoteBlock quote)
            {
                return quote.Column + 2;
            }
        }

        return 0;
    }
}
