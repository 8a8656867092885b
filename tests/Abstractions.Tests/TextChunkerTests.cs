namespace OpenClaw.Channels.Tests;

public class TextChunkerTests
{
    [Fact]
    public void ShortText_IsOneChunk()
    {
        Assert.Equal(["hello"], TextChunker.Split("hello", 4096));
    }

    [Fact]
    public void EmptyOrWhitespace_GivesNoChunks()
    {
        Assert.Empty(TextChunker.Split("", 10));
        Assert.Empty(TextChunker.Split("   \n ", 10));
        Assert.Empty(TextChunker.Split(null, 10));
    }

    [Fact]
    public void TenThousandCharacters_SplitWithinLimit_InOrder_LosingNoWords()
    {
        var paragraphs = Enumerable.Range(0, 100).Select(i => $"Paragraph {i:D3} " + string.Join(' ', Enumerable.Repeat("word", 18))).ToList();
        var text = string.Join("\n\n", paragraphs);
        Assert.True(text.Length > 10_000);

        var chunks = TextChunker.Split(text, 4096);

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 4096));
        Assert.Equal(string.Concat(text.Where(c => !char.IsWhiteSpace(c))), string.Concat(string.Concat(chunks).Where(c => !char.IsWhiteSpace(c))));
        // Breaks fall on paragraph boundaries: every chunk starts a paragraph.
        Assert.All(chunks, c => Assert.StartsWith("Paragraph ", c, StringComparison.Ordinal));
        var order = chunks.SelectMany(c => c.Split("\n\n")).Select(p => p[..13]).ToList();
        Assert.Equal(paragraphs.Select(p => p[..13]), order);
    }

    [Fact]
    public void NoParagraphs_BreaksAtLinesThenWords()
    {
        var lines = string.Join('\n', Enumerable.Repeat("0123456789", 10));
        var byLine = TextChunker.Split(lines, 25);
        Assert.All(byLine, c => Assert.DoesNotContain("\n\n", c, StringComparison.Ordinal));
        Assert.Equal("0123456789\n0123456789", byLine[0]);

        var words = TextChunker.Split("alpha beta gamma delta epsilon", 12);
        Assert.Equal(["alpha beta", "gamma delta", "epsilon"], words);
    }

    [Fact]
    public void OneEarlySpace_IsNotABreak_ChunksAreFilled()
    {
        // CJK text has no spaces between words; a space near the start must not leave a tiny first chunk.
        var text = "ACK: " + new string('字', 100);

        var chunks = TextChunker.Split(text, 40);

        Assert.Equal(40, chunks[0].Length);
        Assert.StartsWith("ACK: 字", chunks[0], StringComparison.Ordinal);
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(40, c.Length));
        Assert.Equal(text, string.Concat(chunks));
    }

    [Fact]
    public void WordBreak_KeepsAtLeastHalfTheLimit()
    {
        var text = "ab " + new string('x', 30) + " " + string.Join(' ', Enumerable.Repeat("word", 20));

        var chunks = TextChunker.Split(text, 20);

        Assert.All(chunks.SkipLast(1), c => Assert.InRange(c.Length, 10, 20));
    }

    [Fact]
    public void Unbreakable_IsNeverCut_NeitherEntitiesNorLinkLabelsWithSpaces()
    {
        var atoms = new System.Text.RegularExpressions.Regex("&(?:amp|lt|gt);|<[^<>]*>");
        // Hard cuts land inside "&amp;" without the pattern; word cuts land inside the link's label.
        var entities = string.Concat(Enumerable.Repeat("a&amp;b", 30));
        var links = string.Join(' ', Enumerable.Repeat("see <https://example.com/page|the long page label> now", 10));

        foreach (var text in new[] { entities, links })
        {
            var chunks = TextChunker.Split(text, 61, atoms);

            Assert.All(chunks, c => Assert.InRange(c.Length, 1, 61));
            Assert.All(chunks, c => Assert.DoesNotMatch("&(?!(amp|lt|gt);)", c));
            Assert.All(chunks, c => Assert.Equal(c.Count(ch => ch == '<'), c.Count(ch => ch == '>')));
            Assert.Equal(atoms.Matches(text).Count, chunks.Sum(c => atoms.Matches(c).Count));
        }
    }

    [Fact]
    public void OneLongWord_IsCut_WithoutSplittingSurrogatePairs()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 10)); // 20 UTF-16 units
        var chunks = TextChunker.Split(emoji, 5);
        Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c[^1])));
        Assert.All(chunks, c => Assert.True(c.Length <= 5));
        Assert.Equal(emoji, string.Concat(chunks));
    }

    [Fact]
    public void MaxLengthBelowTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TextChunker.Split("x", 1));
    }
}
