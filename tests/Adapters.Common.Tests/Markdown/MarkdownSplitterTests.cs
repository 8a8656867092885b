using System.Text.RegularExpressions;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Adapters.Tests.Markdown;

/// <summary>The splitter on the shared parse, with the renderer that writes Markdown back (as Discord gets it).</summary>
public sealed partial class MarkdownSplitterTests
{
    private static List<string> Split(string markdown, int maxLength)
        => MarkdownSplitter.Split(markdown, MarkdownSourceRenderer.Instance, maxLength).Select(c => c.Text).ToList();

    // Moved from TextChunkerMarkdownTests (TextChunker.SplitMarkdown's fence logic is gone): same inputs, same assertions.
    [Fact]
    public void CodeBlockCutBySplit_IsClosedAndReopened_WithItsLanguage_WithinTheLimit()
    {
        var code = string.Join('\n', Enumerable.Range(0, 60).Select(i => $"var x{i} = {i};"));
        var text = "Here is the code:\n\n```csharp\n" + code + "\n```\n\nDone.";

        var chunks = Split(text, 300);

        Assert.True(chunks.Count > 2);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 300));
        Assert.All(chunks, c => Assert.Equal(0, CountFences(c) % 2));
        Assert.All(chunks.Skip(1).SkipLast(1), c => Assert.StartsWith("```csharp\n", c, StringComparison.Ordinal));
        var lines = string.Join('\n', chunks).Split('\n').Where(l => l.StartsWith("var ", StringComparison.Ordinal)).ToList();
        Assert.Equal(code.Split('\n'), lines);
        Assert.EndsWith("Done.", chunks[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void ABudget_KeepsTheFirstChunks_AndCutsTheLastWithinTheLimit_WithTheNote_NeverInsideACodeBlock()
    {
        var code = string.Join('\n', Enumerable.Range(0, 60).Select(i => $"var x{i} = {i};"));
        var text = "Here is the code:\n\n```csharp\n" + code + "\n```\n\nDone.";
        var document = ChannelMarkdown.Parse(text);
        var all = MarkdownSplitter.Split(document, MarkdownSourceRenderer.Instance, 300).Select(c => c.Text).ToList();

        var budget = MarkdownSplitter.Split(document, MarkdownSourceRenderer.Instance, 300, 3, "(shortened)");
        var unlimited = MarkdownSplitter.Split(document, MarkdownSourceRenderer.Instance, 300, all.Count, "(shortened)");

        Assert.True(all.Count > 3);
        Assert.True(budget.Shortened);
        Assert.Equal(3, budget.Chunks.Count);
        Assert.Equal(all.Take(2), budget.Chunks.Take(2).Select(c => c.Text));
        var last = budget.Chunks[2].Text;
        Assert.InRange(last.Length, 1, 300);
        Assert.EndsWith("```\n(shortened)", last, StringComparison.Ordinal); // a closed code block, then the note
        Assert.StartsWith("```csharp\n", last, StringComparison.Ordinal);
        Assert.Equal(0, CountFences(last) % 2);
        Assert.False(unlimited.Shortened);
        Assert.Equal(all, unlimited.Chunks.Select(c => c.Text));
    }

    [Fact]
    public void ShortOrFenceFreeText_IsSplitLikePlainText()
    {
        Assert.Equal(["short"], Split("short", 100));
        var plain = string.Join("\n\n", Enumerable.Repeat("para graph", 30));
        Assert.All(Split(plain, 50), c => Assert.DoesNotContain("```", c, StringComparison.Ordinal));
    }

    [Fact]
    public void WholeBlocks_ArePacked_AsWritten_WithTheirParagraphBreaks()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 30).Select(i => $"Paragraph {i:D2} says **something** and `code`."));

        var chunks = Split(text, 200);

        Assert.True(chunks.Count > 4);
        Assert.All(chunks.SkipLast(1), c => Assert.InRange(c.Length, 150, 200));
        Assert.Equal(text, string.Join("\n\n", chunks));
    }

    [Fact]
    public void CodeBlockThatFitsAMessage_IsNeverCut()
    {
        var code = string.Join('\n', Enumerable.Range(0, 8).Select(i => $"print({i})"));
        var text = string.Join(' ', Enumerable.Repeat("prose", 25)) + "\n\n```python\n" + code + "\n```\n\nAfter.";

        var chunks = Split(text, 160);

        Assert.Equal(2, chunks.Count);
        Assert.DoesNotContain("```", chunks[0], StringComparison.Ordinal);
        Assert.Equal("```python\n" + code + "\n```\n\nAfter.", chunks[1]);
    }

    [Fact]
    public void LongParagraph_IsCutBetweenWords_NeverInsideALinkOrEmphasis()
    {
        var text = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"item {i} [the documentation page number {i}](https://docs.test/{i}) and **bold {i} words**"));

        var chunks = Split(text, 200);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 200));
        Assert.Equal(40, chunks.Sum(c => LinkPattern().Matches(c).Count));
        Assert.All(chunks, c => Assert.Equal(0, CountOf(c, "**") % 2));
        Assert.Equal(text, string.Join(' ', chunks));
    }

    [Fact]
    public void LongParagraph_PrefersASentenceEnd()
    {
        var text = string.Concat(Enumerable.Range(0, 30).Select(i => $"Sentence number {i} has a few words in it. "));

        var chunks = Split(text, 120);

        Assert.All(chunks, c => Assert.EndsWith(".", c, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.StartsWith("Sentence number ", c, StringComparison.Ordinal));
    }

    [Fact]
    public void OverlongWord_IsCutToTheLimit()
    {
        var word = new string('x', 250);

        var chunks = Split(word, 100);

        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 100));
        Assert.Equal(word, string.Concat(chunks));
    }

    [Fact]
    public void ListItems_StartMessages_WithTheirMarkers()
    {
        var text = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"- item number {i} of the list"));

        var chunks = Split(text, 100);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.All(c.Split('\n'), line => Assert.StartsWith("- item number ", line, StringComparison.Ordinal)));
        Assert.Equal(text, string.Join('\n', chunks));
    }

    [Fact]
    public void LongQuote_IsCutBetweenItsParagraphs_EachPartStillAQuote()
    {
        var text = string.Join("\n>\n", Enumerable.Range(0, 12).Select(i => $"> quoted paragraph {i} with some words"));

        var chunks = Split(text, 100);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.All(c.Split('\n'), line => Assert.StartsWith(">", line, StringComparison.Ordinal)));
        Assert.Equal(12, chunks.Sum(c => CountOf(c, "quoted paragraph")));
    }

    [Fact]
    public void LongTable_IsCutBetweenRows_RepeatingTheHeader()
    {
        var text = "| name | value |\n|---|---|\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"| row {i} | {i * 7} |"));

        var chunks = Split(text, 120);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.StartsWith("| name | value |\n|---|---|\n| row ", c, StringComparison.Ordinal));
        Assert.Equal(30, chunks.Sum(c => CountOf(c, "| row ")));
    }

    [Fact]
    public void Chunks_OfWholeBlocks_CarryTheirMarkdown()
    {
        var chunk = Assert.Single(MarkdownSplitter.Split("**a** and\n\n- b", MarkdownSourceRenderer.Instance, 100));

        Assert.Equal("**a** and\n\n- b", chunk.Source);
    }

    [Fact]
    public void BlankText_GivesNoChunks_AndATinyLimitThrows()
    {
        Assert.Empty(Split("  \n\n ", 100));
        Assert.Empty(Split(null!, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Split("x", MarkdownSplitter.MinLength - 1));
    }

    [GeneratedRegex(@"\[the documentation page number (\d+)\]\(https://docs\.test/\1\)")]
    private static partial Regex LinkPattern();

    private static int CountFences(string s) => CountOf(s, "```");

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
