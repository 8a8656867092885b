using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

public sealed class TelegramHtmlRendererTests
{
    [Theory]
    [InlineData("**bold** and __also__", "<b>bold</b> and <b>also</b>")]
    [InlineData("*it* and _it_ but snake_case_name", "<i>it</i> and <i>it</i> but snake_case_name")]
    [InlineData("~~gone~~", "<s>gone</s>")]
    [InlineData("a < b && c > d \"q\"", "a &lt; b &amp;&amp; c &gt; d &quot;q&quot;")]
    [InlineData("`x<y>` code", "<code>x&lt;y&gt;</code> code")]
    [InlineData("[site](https://example.org/a?b=1&c=2)", "<a href=\"https://example.org/a?b=1&amp;c=2\">site</a>")]
    [InlineData("[bad](javascript:alert(1))", "[bad](javascript:alert(1))")]
    [InlineData("## Heading **x**", "<b>Heading <b>x</b></b>")]
    [InlineData("- one\n  * two", "• one\n  • two")]
    [InlineData("> quoted\n> more", "<blockquote>quoted\nmore</blockquote>")]
    [InlineData("```python\nif a < b:\n    pass\n```", "<pre><code class=\"language-python\">if a &lt; b:\n    pass</code></pre>")]
    [InlineData("**unclosed bold", "**unclosed bold")]
    [InlineData("2 * 3 * 4", "2 * 3 * 4")]
    [InlineData("\\*not italic\\*", "*not italic*")]
    public void ToHtml_ConvertsModelMarkdown(string markdown, string html)
    {
        Assert.Equal(html, TelegramHtmlRenderer.ToHtml(markdown));
    }
}
