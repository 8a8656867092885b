using System.Text;
using OpenClaw.Channels.Adapters.Markdown;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

/// <summary>WeChat's text on the shared pipeline: the Markdig parse, <see cref="WeChatPlainTextRenderer"/> and the shared
/// <see cref="MarkdownSplitter"/> measuring UTF-8 bytes within the message budget.</summary>
public sealed class WeChatTextTests
{
    private static string ToPlainText(string markdown)
        => Assert.Single(MarkdownSplitter.Split(markdown, WeChatPlainTextRenderer.Instance, 2000)).Text;

    private static IReadOnlyList<string> Split(string text, int maxBytes, int maxMessages, string note, out bool shortened)
    {
        var split = MarkdownSplitter.Split(ChannelMarkdown.Parse(text), WeChatPlainTextRenderer.Instance, maxBytes, maxMessages, note);
        shortened = split.Shortened;
        return [.. split.Chunks.Select(c => c.Text)];
    }

    [Fact]
    public void Markdown_IsReducedToPlainText()
    {
        const string md = "# Title\n\nSome **bold** and *italic* and `code` with a [link](https://example.com).\n\n- one\n- two\n\n```csharp\nvar x = 1;\n```\n> quoted";

        var plain = ToPlainText(md);

        Assert.Equal("Title\n\nSome bold and italic and code with a link (https://example.com).\n\n• one\n• two\n\nvar x = 1;\nquoted", plain);
    }

    [Fact]
    public void SnakeCase_IsNotTreatedAsEmphasis()
    {
        Assert.Equal("use my_var_name here", ToPlainText("use my_var_name here"));
    }

    [Fact]
    public void LongText_SplitsByUtf8Bytes_InOrder_FillingMessages()
    {
        var paragraph = string.Concat(Enumerable.Repeat("微信测试文本。", 40)); // 7 chars × 3 bytes × 40 = 840 bytes
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 4)); // ~3366 bytes

        var chunks = Split(text, 2000, 3, "(shortened)", out var shortened);

        Assert.False(shortened);
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.True(Encoding.UTF8.GetByteCount(c) <= 2000));
        Assert.Equal(text.Replace("\n", string.Empty, StringComparison.Ordinal), string.Concat(chunks).Replace("\n", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void TooLongText_IsShortenedToTheBudget_WithANote()
    {
        var text = string.Join(" ", Enumerable.Range(0, 2000).Select(i => $"word{i}"));

        var chunks = Split(text, 500, 3, "(answer shortened)", out var shortened);

        Assert.True(shortened);
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.True(Encoding.UTF8.GetByteCount(c) <= 500));
        Assert.EndsWith("(answer shortened)", chunks[^1], StringComparison.Ordinal);
        Assert.StartsWith("word0 word1", chunks[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Emoji_AreNeverCutInHalf()
    {
        var text = string.Concat(Enumerable.Repeat("🌏", 300)); // 4 bytes each, no spaces

        var chunks = Split(text, 101, 20, "(x)", out _);

        Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c[^1])));
        Assert.Equal(text, string.Concat(chunks));
    }

    [Fact]
    public void NineThousandBytesWithoutSpaces_Fill2000_1998_1999Bytes_TheLastWithTheNote()
    {
        const string note = "(回答过长，已截断 / answer shortened)"; // 45 bytes, plus the line break before it
        var text = "ACK: " + string.Concat(Enumerable.Repeat("微信测试文本内容", 375)); // 9005 bytes

        var chunks = Split(text, 2000, 3, note, out var shortened);

        Assert.True(shortened);
        Assert.Equal([2000, 1998, 1999], chunks.Select(c => Encoding.UTF8.GetByteCount(c)));
        Assert.EndsWith("\n" + note, chunks[2], StringComparison.Ordinal);
        Assert.StartsWith(chunks[0] + chunks[1] + chunks[2][..^(note.Length + 1)], text, StringComparison.Ordinal);
    }

    [Fact]
    public void ALinkAndACodeBlock_AreNeverCut_WhenTheSplitFallsInThem()
    {
        var words = string.Join(" ", Enumerable.Repeat("文本", 60)); // 60 × 7 bytes
        var link = "[the project page](https://example.com/" + new string('p', 60) + ")";
        var code = "```\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"line {i};")) + "\n```";
        var text = words + " " + link + " " + words + "\n\n" + code;

        var chunks = Split(text, 480, 10, "(x)", out var shortened);

        Assert.False(shortened);
        Assert.All(chunks, c => Assert.InRange(Encoding.UTF8.GetByteCount(c), 1, 480));
        Assert.Single(chunks, c => c.Contains("the project page (https://example.com/" + new string('p', 60) + ")", StringComparison.Ordinal));
        var lines = string.Join('\n', chunks).Split('\n').Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"line {i};"), lines);
    }

    [Theory]
    [InlineData("report_final_v2.pdf: https://files.example/a_b_c?x=1&y=*2*")]
    [InlineData("[image: chart.png, 3 KB — not sent on wechat]")]
    [InlineData("1. # not a heading &amp; <b>not html</b> `not code` ~~no~~")]
    public void PlainPieces_EscapedForTheSplitter_ComeOutAsWritten(string plain)
    {
        Assert.Equal(plain, ToPlainText(ChannelMarkdown.EscapePlain(plain)));
    }
}
