using System.Text;
using OpenClaw.Channels.Telegram;
using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Tests;

/// <summary>How answers are cut into Telegram messages: on the parsed blocks, counting the text after entity parsing
/// (core.telegram.org/bots/api#sendmessage: 1-4096 characters after entities parsing).</summary>
public sealed class TelegramSplitTests
{
    [Fact]
    public void HeavilyFormatted_4000VisibleCharacters_IsOneMessage()
    {
        var text = HeavilyFormatted(4000);

        var chunks = TelegramSender.Plan(text, TextFormat.Markdown, ParseMode.Html, TelegramSender.MaxTextLength);

        var chunk = Assert.Single(chunks);
        Assert.True(chunk.Text.Length > 4096, "the HTML is longer than the limit; only the visible text counts");
        Assert.Equal(4000, TelegramHtmlRenderer.VisibleText(chunk.Text).Length);
        Assert.Equal(4000, TelegramHtmlRenderer.Instance.Measure(chunk.Text));
        Assert.True(chunk.PlainText.Length <= TelegramSender.MaxTextLength);
    }

    [Fact]
    public void CodeBlock_IsNeverCut_WhenItFitsAMessage()
    {
        var prose = string.Join(' ', Enumerable.Repeat("words", 600)); // 3,599 characters
        var code = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"let v{i} = {i} < 3;")); // about 760
        var text = prose + "\n\n```rust\n" + code + "\n```\n\nAfter.";

        var chunks = TelegramSender.Plan(text, TextFormat.Markdown, ParseMode.Html, TelegramSender.MaxTextLength);

        Assert.Equal(2, chunks.Count);
        Assert.DoesNotContain("<pre>", chunks[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("<pre><code class=\"language-rust\">let v0 = 0 &lt; 3;", chunks[1].Text, StringComparison.Ordinal);
        Assert.Contains("let v39 = 39 &lt; 3;</code></pre>", chunks[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LongCodeBlock_IsSplitIntoCompleteBlocks_EachWithItsLanguage()
    {
        var code = string.Join('\n', Enumerable.Range(0, 400).Select(i => $"let value{i} = compute({i}) < limit;"));

        var chunks = TelegramSender.Plan("```rust\n" + code + "\n```", TextFormat.Markdown, ParseMode.Html, TelegramSender.MaxTextLength);

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.StartsWith("<pre><code class=\"language-rust\">", c.Text, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.EndsWith("</code></pre>", c.Text, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.InRange(TelegramHtmlRenderer.Instance.Measure(c.Text), 1, 4096));
        var lines = chunks.SelectMany(c => TelegramHtmlRenderer.VisibleText(c.Text).Split('\n')).ToList();
        Assert.Equal(code.Split('\n'), lines);
    }

    [Fact]
    public void Link_IsNeverCut()
    {
        var sb = new StringBuilder();
        for (var i = 0; sb.Length < 12_000; i++)
        {
            sb.Append("see [the documentation page number ").Append(i).Append("](https://docs.test/").Append(i).Append(") and ");
        }

        var chunks = TelegramSender.Plan(sb.ToString(), TextFormat.Markdown, ParseMode.Html, TelegramSender.MaxTextLength);

        Assert.True(chunks.Count >= 2);
        Assert.All(chunks, c => Assert.InRange(TelegramHtmlRenderer.Instance.Measure(c.Text), 1, 4096));
        Assert.All(chunks, c => Assert.Equal(CountOf(c.Text, "<a href="), CountOf(c.Text, "</a>")));
        var links = chunks.Sum(c => System.Text.RegularExpressions.Regex.Matches(c.Text, "<a href=\"https://docs.test/(\\d+)\">the documentation page number \\1</a>").Count);
        Assert.Equal(CountOf(sb.ToString(), "]("), links);
    }

    [Fact]
    public void PlainFallback_IsTheVisibleText_WhenTheMarkdownIsLongerThanTheLimit()
    {
        var chunk = Assert.Single(TelegramSender.Plan(HeavilyFormatted(4000), TextFormat.Markdown, ParseMode.Html, TelegramSender.MaxTextLength));

        Assert.Equal(TelegramHtmlRenderer.VisibleText(chunk.Text), chunk.PlainText);
    }

    /// <summary>Paragraphs of bold, italic, code and links whose visible text is exactly <paramref name="visible"/> characters.</summary>
    private static string HeavilyFormatted(int visible)
    {
        var sb = new StringBuilder();
        var shown = 0;
        var i = 0;
        while (shown + 40 < visible)
        {
            var piece = (i % 4) switch
            {
                0 => "**bold words** ",
                1 => "_some italic_ ",
                2 => "`a < b` ",
                _ => "[a link](https://example.org/page) ",
            };
            sb.Append(piece);
            shown += piece switch { "**bold words** " => 11, "_some italic_ " => 12, "`a < b` " => 6, _ => 7 };
            if (++i % 20 == 0)
            {
                sb.Append("\n\n");
            }
        }

        var text = sb.ToString().TrimEnd();
        var measured = TelegramHtmlRenderer.VisibleText(TelegramHtmlRenderer.ToHtml(text)).Length;
        return text + " " + new string('x', visible - measured - 1);
    }

    private static int CountOf(string text, string part)
        => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
