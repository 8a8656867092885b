using OpenClaw.Channels.WebChat;

namespace OpenClaw.Channels.Tests;

public class WebChatMarkdownTests
{
    [Fact]
    public void Markdown_IsRenderedToHtml()
    {
        var html = WebChatMarkdown.ToHtml("**bold** and `code`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code>code</code>", html, StringComparison.Ordinal);
        Assert.Contains("<li>one</li>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("hi <img src=x onerror=alert(1)>")]
    [InlineData("<div onclick=\"alert(1)\">x</div>")]
    public void RawHtml_IsEscaped(string markdown)
    {
        var html = WebChatMarkdown.ToHtml(markdown);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click]( javascript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![x](javascript:alert(1))")]
    public void UnsafeLinkSchemes_AreDropped(string markdown)
    {
        var html = WebChatMarkdown.ToHtml(markdown);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("vbscript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SafeLinks_OpenInANewTab_WithoutOpener()
    {
        var html = WebChatMarkdown.ToHtml("see [docs](https://example.org/a?b=1&c=\"2\") or https://example.com");
        Assert.Contains("href=\"https://example.org/a?b=1&amp;c=%222%22\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void BareAddresses_BecomeLinks_WithoutTrailingPunctuation_AndNotInsideCodeOrLinks()
    {
        var html = WebChatMarkdown.ToHtml("read https://example.com/a_b_c. or (www.example.org) and `https://code.example` and [x](https://l.example/y)");

        Assert.Contains("<a href=\"https://example.com/a_b_c\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">https://example.com/a_b_c</a>.", html, StringComparison.Ordinal);
        Assert.Contains("(<a href=\"http://www.example.org\"", html, StringComparison.Ordinal);
        Assert.Contains(">www.example.org</a>)", html, StringComparison.Ordinal);
        Assert.Contains("<code>https://code.example</code>", html, StringComparison.Ordinal);
        Assert.Contains(">x</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"https://code.example", html, StringComparison.Ordinal);
    }
}
