using OpenClaw.Channels.Adapters.Markdown;
using OpenClaw.Channels.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>Discord gets the Markdown as the model wrote it; only blocks cut at the 2,000-character limit are rebuilt.</summary>
public sealed class DiscordMarkdownRendererTests
{
    [Fact]
    public void WholeAnswer_IsSentAsWritten()
    {
        const string text = "# Title\n\nSome **bold**, ||spoiler|| and `code` \\*literal\\*.\n\n- one\n  - nested\n\n> quote\n\n```js\nlet a = 1;\n```";

        var chunk = Assert.Single(MarkdownSplitter.Split(text, DiscordMarkdownRenderer.Instance, 2000));

        Assert.Equal(text, chunk.Text);
    }

    [Fact]
    public void LongCodeBlock_IsSentAsCompleteBlocks_EachWithItsLanguage()
    {
        var code = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"console.log('line {i}');"));

        var chunks = MarkdownSplitter.Split("Look:\n```js\n" + code + "\n```", DiscordMarkdownRenderer.Instance, 2000).Select(c => c.Text).ToList();

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 2000));
        Assert.All(chunks.Skip(1), c => Assert.StartsWith("```js\n", c, StringComparison.Ordinal));
        Assert.All(chunks.Skip(1), c => Assert.EndsWith("\n```", c, StringComparison.Ordinal));
        Assert.StartsWith("Look:", chunks[0], StringComparison.Ordinal);
        var lines = chunks.SelectMany(c => c.Split('\n')).Where(l => l.StartsWith("console", StringComparison.Ordinal));
        Assert.Equal(code.Split('\n'), lines);
    }
}
