using System.Text;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

public sealed class WeChatTextTests
{
    [Fact]
    public void Markdown_IsReducedToPlainText()
    {
        const string md = "# Title\n\nSome **bold** and *italic* and `code` with a [link](https://example.com).\n\n- one\n- two\n\n```csharp\nvar x = 1;\n```\n> quoted";

        var plain = WeChatText.ToPlainText(md);

        Assert.Equal("Title\n\nSome bold and italic and code with a link (https://example.com).\n\n• one\n• two\n\nvar x = 1;\nquoted", plain);
    }

    [Fact]
    public void SnakeCase_IsNotTreatedAsEmphasis()
    {
        Assert.Equal("use my_var_name here", WeChatText.ToPlainText("use my_var_name here"));
    }

    [Fact]
    public void LongText_SplitsByUtf8Bytes_InOrder_FillingMessages()
    {
        var paragraph = string.Concat(Enumerable.Repeat("微信测试文本。", 40)); // 7 chars × 3 bytes × 40 = 840 bytes
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 4)); // ~3366 bytes

        var chunks = WeChatText.Split(text, 2000, 3, "(shortened)", out var shortened);

        Assert.False(shortened);
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.True(Encoding.UTF8.GetByteCount(c) <= 2000));
        Assert.Equal(text.Replace("\n", string.Empty, StringComparison.Ordinal), string.Concat(chunks).Replace("\n", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void TooLongText_IsShortenedToTheBudget_WithANote()
    {
        var text = string.Join(" ", Enumerable.Range(0, 2000).Select(i => $"word{i}"));

        var chunks = WeChatText.Split(text, 500, 3, "(answer shortened)", out var shortened);

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

        var chunks = WeChatText.Split(text, 101, 20, "(x)", out _);

        Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c[^1])));
        Assert.Equal(text, string.Concat(chunks));
    }
}
