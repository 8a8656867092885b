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
        var units = Units(document).ToList();
        return Pack(Pieces(units, 0, renderer, new BlockCutter(renderer, _ => maxLength), maxLength), renderer, maxLength, ChannelMarkdown.SourceOf(document)).Chunks;
    }

    /// <summary>Splits <paramref name="document"/> as <see cref="Split(MarkdownDocument, ChannelMarkdownRenderer, int)"/>
    /// does, into at most <paramref name="maxChunks"/> chunks: when the answer needs more, the last allowed chunk holds as
    /// much of the rest as fits, cut the same way (on blocks, never inside an element), with a line break and
    /// <paramref name="shortenedNote"/> after it, within <paramref name="maxLength"/> as well.</summary>
    /// <param name="document">A document from <see cref="ChannelMarkdown.Parse"/>.</param>
    /// <param name="renderer">The platform's renderer.</param>
    /// <param name="maxLength">The platform's limit per message, in the renderer's unit.</param>
    /// <param name="maxChunks">The most messages one answer may take (1 or more).</param>
    /// <param name="shortenedNote">Plain text that ends a shortened answer (escaped by the renderer).</param>
    /// <returns>The chunks in order, and whether the answer was shortened.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below <see cref="MinLength"/>, or
    /// <paramref name="maxChunks"/> below 1.</exception>
    public static MarkdownSplit Split(MarkdownDocument document, ChannelMarkdownRenderer renderer, int maxLength, int maxChunks, string shortenedNote)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(shortenedNote);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunks, 1);
        var units = Units(document).ToList();
        var source = ChannelMarkdown.SourceOf(document);
        var pieces = Pieces(units, 0, renderer, new BlockCutter(renderer, _ => maxLength), maxLength);
        var (chunks, starts) = Pack(pieces, renderer, maxLength, source);
        if (chunks.Count <= maxChunks)
        {
            return new MarkdownSplit(chunks, false);
        }

        // The last message starts where the full split's chunk maxChunks starts: in the middle of a cut block when that
        // block spans messages. Cut that block again, its earlier parts within maxLength as before (so the same), the
        // rest within what leaves room for the note; later blocks within that as well.
        var note = "\n" + renderer.Escape(shortenedNote);
        var lastLength = Math.Max(1, maxLength - renderer.Measure(note));
        var from = pieces[starts[maxChunks - 1]];
        var cutter = new BlockCutter(renderer, part => part < from.Part ? maxLength : lastLength);
        var rest = Pieces(units, from.Unit, renderer, cutter, lastLength).Where(p => p.Unit > from.Unit || p.Part >= from.Part).ToList();
        var last = Pack(rest, renderer, lastLength, source).Chunks[0];
        return new MarkdownSplit([.. chunks.Take(maxChunks - 1), new MarkdownChunk(last.Text + note, null)], true);
    }

    /// <summary>The units from index <paramref name="from"/> rendered: whole when within <paramref name="wholeLength"/>,
    /// else cut by <paramref name="cutter"/>, each piece with the index of its unit and its part.</summary>
    private static List<Piece> Pieces(List<Block> units, int from, ChannelMarkdownRenderer renderer, BlockCutter cutter, int wholeLength)
    {
        var pieces = new List<Piece>();
        Block? previous = null;
        for (var u = from; u < units.Count; u++)
        {
            var unit = units[u];
            var text = renderer.RenderBlock(unit);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var separator = previous is null ? string.Empty : renderer.Separator(previous, unit);
            previous = unit;
            var length = renderer.Measure(text);
            if (length <= wholeLength)
            {
                pieces.Add(new Piece(text, length, separator, unit.Span, u, 0));
                continue;
            }

            var part = 0;
            foreach (var cut in cutter.CutUnit(unit))
            {
                pieces.Add(new Piece(cut, renderer.Measure(cut), separator, null, u, part++));
                separator = "\n";
            }
        }

        return pieces;
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

    /// <summary>Packs the pieces greedily into chunks; also gives, per chunk, the index of the piece it starts with.</summary>
    private static (List<MarkdownChunk> Chunks, List<int> Starts) Pack(List<Piece> pieces, ChannelMarkdownRenderer renderer, int maxLength, string source)
    {
        var chunks = new List<MarkdownChunk>();
        var starts = new List<int>();
        var first = 0;
        var sb = new StringBuilder();
        var length = 0;
        var start = -1;
        var end = -1;
        var whole = true;
        for (var i = 0; i < pieces.Count; i++)
        {
            var piece = pieces[i];
            var separatorLength = renderer.Measure(piece.Separator);
            if (sb.Length > 0 && length + separatorLength + piece.Length > maxLength)
            {
                Flush();
            }

            if (sb.Length == 0)
            {
                first = i;
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
        return (chunks, starts);

        void Flush()
        {
            var text = sb.ToString().Trim('\n');
            if (!string.IsNullOrWhiteSpace(text))
            {
                chunks.Add(new MarkdownChunk(text, whole && start >= 0 ? ChannelMarkdown.SourceText(source, new SourceSpan(start, end)).TrimEnd('\n') : null));
                starts.Add(first);
            }

            sb.Clear();
            length = 0;
            start = -1;
            end = -1;
            whole = true;
        }
    }

    /// <summary>A rendered unit, or a part of a cut one: <see cref="Unit"/> is its index among the units,
    /// <see cref="Part"/> its index among the unit's parts (0 for a whole unit).</summary>
    private readonly record struct Piece(string Text, int Length, string Separator, SourceSpan? Span, int Unit, int Part);
}
