using System.Text;
using Markdig.Syntax;

namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>Splits a parsed answer into messages on its blocks (paragraphs, list items, headings, code blocks, quotes,
/// tables), packing whole blocks into each message as far as the limit allows, with the length measured by the
/// platform's renderer. A block that does not fit alone is cut: a code block into several complete code blocks (each
/// closed and reopened with its language), a paragraph at a line break, sentence end or word boundary outside inline
/// elements (a link, an emphasis or a code span is never cut; one longer than a whole message loses its formatting and
/// is cut as text), a list item or quote between its children, a table between rows. Entities are produced by the
/// renderer per part, so none is ever cut.</summary>
public static class MarkdownSplitter
{
    /// <summary>The smallest limit the splitter accepts: room for a code block's frame around some code.</summary>
    public const int MinLength = 32;

    /// <summary>Renders <paramref name="document"/> with <paramref name="renderer"/> into chunks of at most
    /// <paramref name="maxLength"/> as <see cref="ChannelMarkdownRenderer.Measure"/> counts.</summary>
    /// <param name="document">A document from <see cref="ChannelMarkdown.Parse"/>.</param>
    /// <param name="renderer">The platform's renderer.</param>
    /// <param name="maxLength">The platform's limit per message, in the renderer's unit.</param>
    /// <returns>The chunks in order; none is blank. A blank document gives none.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below <see cref="MinLength"/>.</exception>
    public static IReadOnlyList<MarkdownChunk> Split(MarkdownDocument document, ChannelMarkdownRenderer renderer, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinLength);
        var cutter = new BlockCutter(renderer, maxLength);
        var pieces = new List<Piece>();
        Block? previous = null;
        foreach (var unit in Units(document))
        {
            var text = renderer.RenderBlock(unit);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var separator = previous is null ? string.Empty : renderer.Separator(previous, unit);
            previous = unit;
            var length = renderer.Measure(text);
            if (length <= maxLength)
            {
                pieces.Add(new Piece(text, length, separator, unit.Span));
                continue;
            }

            foreach (var part in cutter.Cut(unit, static (s, _) => s))
            {
                pieces.Add(new Piece(part, renderer.Measure(part), separator, null));
                separator = "\n";
            }
        }

        return Pack(pieces, renderer, maxLength, ChannelMarkdown.SourceOf(document));
    }

    /// <summary>Parses <paramref name="markdown"/> and splits it (see <see cref="Split(MarkdownDocument, ChannelMarkdownRenderer, int)"/>).</summary>
    /// <param name="markdown">The model's Markdown; null or blank gives no chunks.</param>
    /// <param name="renderer">The platform's renderer.</param>
    /// <param name="maxLength">The platform's limit per message, in the renderer's unit.</param>
    /// <returns>The chunks in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below <see cref="MinLength"/>.</exception>
    public static IReadOnlyList<MarkdownChunk> Split(string? markdown, ChannelMarkdownRenderer renderer, int maxLength)
        => Split(ChannelMarkdown.Parse(markdown), renderer, maxLength);

    /// <summary>The top-level blocks, with lists opened into their items (each item may start a new message).</summary>
    private static IEnumerable<Block> Units(ContainerBlock container)
    {
        foreach (var block in container)
        {
            if (block is ListBlock list)
            {
                foreach (var item in list)
                {
                    yield return item;
                }
            }
            else
            {
                yield return block;
            }
        }
    }

    private static List<MarkdownChunk> Pack(List<Piece> pieces, ChannelMarkdownRenderer renderer, int maxLength, string source)
    {
        var chunks = new List<MarkdownChunk>();
        var sb = new StringBuilder();
        var length = 0;
        var start = -1;
        var end = -1;
        var whole = true;
        foreach (var piece in pieces)
        {
            var separatorLength = renderer.Measure(piece.Separator);
            if (sb.Length > 0 && length + separatorLength + piece.Length > maxLength)
            {
                Flush();
            }

            if (sb.Length > 0)
            {
                sb.Append(piece.Separator);
                length += separatorLength;
            }

            sb.Append(piece.Text);
            length += piece.Length;
            if (piece.Span is { } span && span.Start >= 0)
            {
                start = start < 0 ? span.Start : start;
                end = span.End;
            }
            else
            {
                whole = false;
            }
        }

        Flush();
        return chunks;

        void Flush()
        {
            var text = sb.ToString().Trim('\n');
            if (!string.IsNullOrWhiteSpace(text))
            {
                chunks.Add(new MarkdownChunk(text, whole && start >= 0 ? ChannelMarkdown.SourceText(source, new SourceSpan(start, end)).TrimEnd('\n') : null));
            }

            sb.Clear();
            length = 0;
            start = -1;
            end = -1;
            whole = true;
        }
    }

    private readonly record struct Piece(string Text, int Length, string Separator, SourceSpan? Span);
}
