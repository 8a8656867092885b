using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.Slack;

public sealed class SlackMrkdwnRendererTests
{
    [Theory]
    [InlineData("**bold** text", "*bold* text")]
    [InlineData("__bold__ text", "*bold* text")]
    [InlineData("an *italic* word", "an _italic_ word")]
    [InlineData("an _italic_ word", "an _italic_ word")]
    [InlineData("~~gone~~", "~gone~")]
    [InlineData("see [the docs](https://docs.slack.dev/x?a=1&b=2)", "see <https://docs.slack.dev/x?a=1&amp;b=2|the docs>")]
    [InlineData("## Results", "*Results*")]
    [InlineData("# **Big** title", "*Big title*")]
    [InlineData("- one\n- two", "• one\n• two")]
    [InlineData("  * nested", "  • nested")]
    [InlineData("1. first", "1. first")]
    [InlineData("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d")]
    [InlineData("> quoted **x**", "> quoted *x*")]
    [InlineData("use `**not bold**` here", "use `**not bold**` here")]
    [InlineData("2 * 3 * 4", "2 * 3 * 4")]
    [InlineData("snake_case_name", "snake_case_name")]
    public void Converts(string markdown, string expected)
        => Assert.Equal(expected, SlackMrkdwnRenderer.ToMrkdwn(markdown));

    [Fact]
    public void CodeBlock_IsKeptVerbatim_WithoutLanguage()
    {
        var md = "Try:\n```python\nx = **kwargs  # [a](b)\nprint(1 < 2)\n```\n**done**";
        Assert.Equal("Try:\n```\nx = **kwargs  # [a](b)\nprint(1 &lt; 2)\n```\n*done*", SlackMrkdwnRenderer.ToMrkdwn(md));
    }

    [Fact]
    public void BoldInsideLinkUrl_IsNotConverted()
        => Assert.Equal("<https://x.test/a_b_c|x>", SlackMrkdwnRenderer.ToMrkdwn("[x](https://x.test/a_b_c)"));
}
