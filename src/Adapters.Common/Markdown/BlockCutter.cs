using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace OpenClaw.Channels.Adapters.Markdown;

/// <summary>Cuts one block that does not fit a message into parts that each fit, as <see cref="MarkdownSplitter"/>
/// describes. A wrap turns a part's rendered content into its final text (a quote around it, a list marker before the
/// first part); every candidate is measured after wrapping, so each part is within the limit as sent. The limit may
/// differ per part (<paramref name="limitOf"/> gets the part's index within the block): a shortened answer's last message
/// leaves room for its note.</summary>
internal sealed class BlockCutter(ChannelMarkdownRenderer renderer, Func<int, int> limitOf)
{
    /// <summary>How many parts of the block being cut are made so far: the index of the part being filled. Parts are
    /// made in send order at every nesting level, so this counts them as sent.</summary>
    private int _made;

    /// <summary>Wraps rendered content; the flag says whether this is the first part of the block being cut.</summary>
    internal delegate string Wrap(string inner, bool first);

    private int Limit => limitOf(_made);

    private bool Fits(string text) => renderer.Measure(text) <= Limit;

    /// <summary>The parts of one block of the document (a unit of <see cref="MarkdownSplitter"/>), each within the limit
    /// of its index.</summary>
    public List<string> CutUnit(Block block)
    {
        _made = 0;
        return Cut(block, static (s, _) => s);
    }

    private void Add(List<string> parts, string part)
    {
        parts.Add(part);
        _made++;
    }

    /// <summary>The parts of <paramref name="block"/>, each wrapped and within the limit.</summary>
    private List<string> Cut(Block block, Wrap wrap) => block switch
    {
        CodeBlock code => CutCode(code, wrap),
        LeafBlock { Inline: not null } leaf => CutInlines(leaf, InlineAtom.Words(leaf.Inline), wrap),
        ListItemBlock item => CutChildren(item, (s, first) => wrap(first ? renderer.ListMarker(item) + s : s, first)),
        QuoteBlock quote => CutChildren(quote, (s, first) => wrap(renderer.WrapQuote(quote, s), first)),
        Table table => CutTable(table, wrap),
        ContainerBlock container => CutChildren(container, wrap),
        LeafBlock leaf => CutText(string.Join('\n', ChannelMarkdownRenderer.LinesOf(leaf)), wrap),
        _ => [],
    };

    private List<string> CutChildren(ContainerBlock container, Wrap wrap)
    {
        var parts = new List<string>();
        var current = string.Empty;
        Block? previous = null;
        foreach (var child in container.SelectMany(b => b is ListBlock list ? list.AsEnumerable() : [b]))
        {
            var text = renderer.RenderBlock(child);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var separator = previous is null || current.Length == 0 ? string.Empty : renderer.Separator(previous, child);
            previous = child;
            if (Fits(wrap(current + separator + text, parts.Count == 0)))
            {
                current += separator + text;
                continue;
            }

            if (current.Length > 0)
            {
                Add(parts, wrap(current, parts.Count == 0));
                current = string.Empty;
            }

            if (Fits(wrap(text, parts.Count == 0)))
            {
                current = text;
                continue;
            }

            var levelFirst = parts.Count == 0;
            parts.AddRange(Cut(child, (s, first) => wrap(s, first && levelFirst)));
        }

        if (current.Length > 0)
        {
            Add(parts, wrap(current, parts.Count == 0));
        }

        return parts;
    }

    private List<string> CutCode(CodeBlock code, Wrap wrap)
    {
        var parts = new List<string>();
        var group = new List<string>();
        foreach (var line in ChannelMarkdownRenderer.LinesOf(code))
        {
            group.Add(line);
            if (Fits(Render(group)))
            {
                continue;
            }

            group.RemoveAt(group.Count - 1);
            if (group.Count > 0)
            {
                Add(parts, Render(group));
                group.Clear();
            }

            group.Add(line);
            if (!Fits(Render(group)))
            {
                // One line longer than a message: cut it as text, each piece a complete code block of its own.
                group.Clear();
                foreach (var piece in CutPlain(line, p => Fits(Render([p]))))
                {
                    Add(parts, Render([piece]));
                }
            }
        }

        if (group.Count > 0)
        {
            Add(parts, Render(group));
        }

        return parts;

        string Render(IReadOnlyList<string> lines) => wrap(renderer.RenderCode(code, lines), parts.Count == 0);
    }

    private List<string> CutInlines(LeafBlock leaf, List<InlineAtom> atoms, Wrap wrap)
    {
        var parts = new List<string>();
        var start = 0;
        while (true)
        {
            while (start < atoms.Count && atoms[start].IsBreak)
            {
                start++;
            }

            if (start >= atoms.Count)
            {
                return parts;
            }

            if (Fits(Render(start, atoms.Count)))
            {
                Add(parts, Render(start, atoms.Count));
                return parts;
            }

            // Largest run from start that fits (lo), by bisection; a longer one does not (hi).
            int lo = start, hi = atoms.Count;
            while (hi - lo > 1)
            {
                var mid = (lo + hi) / 2;
                if (Fits(Render(start, mid)))
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            if (lo == start)
            {
                // The first atom alone is too long: a word is cut as text; an element is replaced by its plain text.
                var atom = atoms[start];
                atoms.RemoveAt(start);
                var replacement = new List<InlineAtom>();
                if (atom.Node is null)
                {
                    replacement.AddRange(CutPlain(atom.Text!, p => Fits(wrap(renderer.RenderInlines(leaf, [new InlineAtom(null, p, false)]), parts.Count == 0)))
                        .Select(p => new InlineAtom(null, p, false)));
                }
                else
                {
                    InlineAtom.AddWords(InlineAtom.PlainText(atom.Node), replacement);
                }

                atoms.InsertRange(start, replacement);
                continue;
            }

            if (FillWithWordHead(atoms, start, lo, Render, Prefixed))
            {
                Add(parts, Render(start, lo + 1));
                start = lo + 1;
                continue;
            }

            var cut = BestBreak(atoms, start, lo);
            Add(parts, Render(start, cut));
            start = cut;
        }

        string Prefixed(int from, int to, string head)
            => wrap(renderer.RenderInlines(leaf, [.. atoms.GetRange(from, to - from), new InlineAtom(null, head, false)]), parts.Count == 0);

        string Render(int from, int to)
        {
            while (to > from && atoms[to - 1].IsBreak)
            {
                to--;
            }

            return wrap(renderer.RenderInlines(leaf, atoms.GetRange(from, to - from)), parts.Count == 0);
        }
    }

    /// <summary>When the atom after the run [start, end) is a word longer than a whole message (it is cut as text anyway)
    /// and the run fills less than half of the message, splits that word so the part is filled with its beginning, as
    /// far as the limit allows, instead of sending a short part (an answer that is one long word after a short prefix,
    /// as CJK text without spaces is, fills every message).</summary>
    /// <returns>True when atoms[end] is now the word's beginning, to end the part with.</returns>
    private bool FillWithWordHead(List<InlineAtom> atoms, int start, int end, Func<int, int, string> render, Func<int, int, string, string> prefixed)
    {
        if (atoms[end] is not { Node: null, IsBreak: false, Text: { } word } || Fits(render(end, end + 1))
            || renderer.Measure(render(start, end)) >= Limit / 2)
        {
            return false;
        }

        var length = LongestFit(word, head => Fits(prefixed(start, end, head)));
        if (length == 0)
        {
            return false;
        }

        atoms[end] = new InlineAtom(null, word[length..], false);
        atoms.Insert(end, new InlineAtom(null, word[..length], false));
        return true;
    }

    /// <summary>Where to end a part that may hold atoms [start, end): before a line break, else after a sentence, else
    /// at a space, each only in the second half of the run; else at end (between two atoms, never inside one).</summary>
    private static int BestBreak(List<InlineAtom> atoms, int start, int end)
    {
        var floor = start + ((end - start) / 2);
        int sentence = -1, space = -1;
        for (var k = end; k > floor; k--)
        {
            if (k >= atoms.Count || !atoms[k].IsBreak)
            {
                continue;
            }

            if (atoms[k].Node is LineBreakInline || (atoms[k].Text?.Contains('\n', StringComparison.Ordinal) ?? false))
            {
                return k;
            }

            if (sentence < 0 && atoms[k - 1] is { Text: { Length: > 0 } word } && ".!?…。！？".Contains(word[^1], StringComparison.Ordinal))
            {
                sentence = k;
            }

            space = space < 0 ? k : space;
        }

        return sentence > 0 ? sentence : space > 0 ? space : end;
    }

    private List<string> CutTable(Table table, Wrap wrap)
    {
        var rows = table.OfType<TableRow>().ToList();
        var header = rows.TakeWhile(r => r.IsHeader).ToList();
        var parts = new List<string>();
        var group = new List<TableRow>(header);
        foreach (var row in rows.Skip(header.Count))
        {
            group.Add(row);
            if (Fits(Render(group)))
            {
                continue;
            }

            group.RemoveAt(group.Count - 1);
            if (group.Count > header.Count)
            {
                Add(parts, Render(group));
            }

            group = [.. header, row];
            if (!Fits(Render(group)))
            {
                group = [.. header];
                var cells = row.OfType<TableCell>().Select(c => string.Concat(c.OfType<LeafBlock>().Select(l => InlineAtom.PlainText(l.Inline!))));
                parts.AddRange(CutText("| " + string.Join(" | ", cells) + " |", wrap));
            }
        }

        if (group.Count > header.Count || parts.Count == 0)
        {
            Add(parts, Render(group));
        }

        return parts;

        string Render(List<TableRow> part) => wrap(renderer.RenderTable(table, part), parts.Count == 0);
    }

    private List<string> CutText(string text, Wrap wrap)
    {
        var parts = new List<string>();
        foreach (var piece in CutPlain(text, p => Fits(wrap(renderer.Escape(p), parts.Count == 0))))
        {
            Add(parts, wrap(renderer.Escape(piece), parts.Count == 0));
        }

        return parts;
    }

    /// <summary>Cuts plain <paramref name="text"/> into the longest prefixes <paramref name="fits"/> accepts, preferring a
    /// space in the second half; never between the halves of a surrogate pair.</summary>
    private static List<string> CutPlain(string text, Func<string, bool> fits)
    {
        var pieces = new List<string>();
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            if (fits(rest))
            {
                pieces.Add(rest);
                break;
            }

            var cut = Math.Max(1, LongestFit(rest, fits));

            var space = rest.AsSpan(0, cut).LastIndexOfAny(' ', '\n', '\t');
            if (space > cut / 2)
            {
                cut = space;
            }

            pieces.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        return pieces;
    }

    /// <summary>The length of the longest prefix of <paramref name="text"/> that <paramref name="fits"/> accepts (found by
    /// bisection), never ending between the halves of a surrogate pair; 0 when none does.</summary>
    private static int LongestFit(string text, Func<string, bool> fits)
    {
        int lo = 0, hi = text.Length + 1;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (fits(text[..mid]))
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo > 1 && lo < text.Length && char.IsHighSurrogate(text[lo - 1]) ? lo - 1 : lo;
    }
}
