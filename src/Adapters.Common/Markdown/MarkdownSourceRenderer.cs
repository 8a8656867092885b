using System.Text;
using Markdig.Syntax;

namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>Renders the parsed answer as Markdown again, for platforms that speak the Markdown models write (Discord):
/// a whole block is sent as the model wrote it (its source text); only a block cut by <see cref="MarkdownSplitter"/> is
/// rebuilt: a code block as complete fenced blocks with its language, a paragraph from the source of its inline elements
/// with literal words escaped (<c>\*</c>), a quote with <c>&gt; </c> lines. Length is UTF-16 characters.</summary>
public class MarkdownSourceRenderer : ChannelMarkdownRenderer
{
    /// <summary>The renderer (stateless).</summary>
    public static MarkdownSourceRenderer Instance { get; } = new();

    /// <inheritdoc />
    public override int Measure(string rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        return rendered.Length;
    }

    /// <summary>Backslash-escapes the Markdown characters <c>\ * _ ~ ` |</c>, so plain text shows as written.</summary>
    /// <param name="text">Plain text.</param>
    /// <returns>The escaped text.</returns>
    public override string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '~' or '`' or '|')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string RenderBlock(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return block is LinkReferenceDefinitionGroup or LinkReferenceDefinition
            ? string.Empty
            : ChannelMarkdown.SourceText(block).TrimEnd('\n'); // a list item's span may run over the blank line after it
    }

    /// <inheritdoc />
    public override string RenderInlines(LeafBlock owner, IReadOnlyList<InlineAtom> atoms)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(atoms);
        var source = ChannelMarkdown.SourceOf(owner);
        var sb = new StringBuilder();
        if (owner is HeadingBlock { Level: var level and > 0 })
        {
            sb.Append('#', level).Append(' ');
        }

        foreach (var atom in atoms)
        {
            sb.Append(atom.Node is { } node ? ChannelMarkdown.SourceText(source, node.Span) : atom.IsBreak ? atom.Text : Escape(atom.Text!));
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string RenderCode(CodeBlock code, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var (fence, info) = code is FencedCodeBlock fenced
            ? (new string(fenced.FencedChar, Math.Max(3, fenced.OpeningFencedCharCount)), fenced.Info ?? string.Empty)
            : ("```", string.Empty);
        return fence + info + "\n" + string.Join('\n', lines) + "\n" + fence;
    }

    /// <inheritdoc />
    public override string WrapQuote(QuoteBlock quote, string inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return "> " + inner.Replace("\n", "\n> ", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    /// <remarks>The marker as the model wrote it (<c>- </c>, <c>1. </c>).</remarks>
    public override string ListMarker(ListItemBlock item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var source = ChannelMarkdown.SourceOf(item);
        var end = item.Count > 0 ? item[0].Span.Start : item.Span.End + 1;
        return item.Span.Start >= 0 && end > item.Span.Start ? source[item.Span.Start..end] : "- ";
    }
}
