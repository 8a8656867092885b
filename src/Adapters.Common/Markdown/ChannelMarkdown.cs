using System.Text;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Syntax;

namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>The one Markdown parse every adapter shares: CommonMark as models write it, with GitHub pipe tables and
/// <c>~~strikethrough~~</c>; raw HTML in the answer stays literal text (Markdig's <c>DisableHtml</c>), and source
/// positions are precise so a renderer can reuse the model's own text (Discord) and the splitter can tell where blank
/// lines separated blocks. Bare URLs are not turned into links (each platform links them itself).</summary>
public static class ChannelMarkdown
{
    private static readonly object SourceKey = new();

    /// <summary>The Markdig pipeline (immutable and thread-safe): pipe tables, strikethrough, no raw HTML, precise
    /// source locations.</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
        .UsePreciseSourceLocation()
        .Build();

    /// <summary>Parses <paramref name="markdown"/> once (line endings normalized to <c>\n</c>) and remembers the source
    /// on the document, for <see cref="SourceOf(Block)"/>.</summary>
    /// <param name="markdown">The model's Markdown; null is empty.</param>
    /// <returns>The parsed document.</returns>
    public static MarkdownDocument Parse(string? markdown)
    {
        var source = (markdown ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = Markdig.Markdown.Parse(source, Pipeline);
        document.SetData(SourceKey, source);
        return document;
    }

    /// <summary>Plain text written as Markdown that parses back to the same words: every ASCII punctuation character is
    /// backslash-escaped (CommonMark 2.4), so nothing in it is read as formatting, a link or an entity. A line break stays
    /// a line break and a blank line a paragraph break; indentation at the start of a line is not kept. For plain pieces
    /// of an answer (links of attachments, placeholders of files, a plain-text answer) that are split with its
    /// Markdown.</summary>
    /// <param name="text">Plain text; null is empty.</param>
    /// <returns>The escaped text.</returns>
    public static string EscapePlain(string? text)
    {
        var sb = new StringBuilder((text?.Length ?? 0) + 16);
        foreach (var c in text ?? string.Empty)
        {
            if (c is >= '!' and <= '~' && !char.IsAsciiLetterOrDigit(c))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>The normalized source text of the document <paramref name="block"/> belongs to.</summary>
    /// <param name="block">A block of a document made by <see cref="Parse"/>.</param>
    /// <returns>The whole source text.</returns>
    /// <exception cref="InvalidOperationException">The block's document was not parsed by <see cref="Parse"/>.</exception>
    public static string SourceOf(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        Block current = block;
        while (current.Parent is { } parent)
        {
            current = parent;
        }

        return current.GetData(SourceKey) as string
               ?? throw new InvalidOperationException("The block's document was not parsed by ChannelMarkdown.Parse.");
    }

    /// <summary>The source text of <paramref name="block"/> (its span, both ends included), or empty when it has none.</summary>
    /// <param name="block">A block of a document made by <see cref="Parse"/>.</param>
    /// <returns>The block as the model wrote it.</returns>
    public static string SourceText(Block block)
    {
        var source = SourceOf(block);
        return SourceText(source, block.Span);
    }

    /// <summary>The text of <paramref name="span"/> in <paramref name="source"/>, or empty when the span is empty or
    /// outside it.</summary>
    /// <param name="source">The source text.</param>
    /// <param name="span">A span, both ends included.</param>
    /// <returns>The text.</returns>
    public static string SourceText(string source, SourceSpan span)
    {
        ArgumentNullException.ThrowIfNull(source);
        return span.Start < 0 || span.End < span.Start || span.End >= source.Length ? string.Empty : source[span.Start..(span.End + 1)];
    }

    /// <summary>True when the source has a blank line between <paramref name="first"/> and the later block
    /// <paramref name="second"/>: the splitter and renderers then keep a paragraph break (<c>\n\n</c>), else a line
    /// break.</summary>
    /// <param name="first">The earlier block.</param>
    /// <param name="second">The later block, of the same document.</param>
    /// <returns>Whether a blank line separates them.</returns>
    public static bool BlankLineBetween(Block first, Block second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var source = SourceOf(first);
        // A list's or quote's span may run over the blank lines after it: its last leaf ends where its text ends.
        var last = first;
        while (last is ContainerBlock { LastChild: { } child })
        {
            last = child;
        }

        var from = last.Span.End + 1;
        var to = Math.Min(second.Span.Start, source.Length);
        if (last.Span.End < 0 || from >= to)
        {
            return false;
        }

        return source.AsSpan(from, to - from).Count('\n') >= 2;
    }
}
