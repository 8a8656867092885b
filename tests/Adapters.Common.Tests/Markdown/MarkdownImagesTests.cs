using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Adapters.Tests.Markdown;

/// <summary>Images found on the Markdig tree (moved from Abstractions.Tests with the type: same inputs, same assertions).</summary>

public class MarkdownImagesTests
{
    [Fact]
    public void TextAndImages_AreSplitInOrder_WithAltAndUrl()
    {
        var segments = MarkdownImages.Split("Intro line.\n\n![First](https://a.test/1.png) between ![Second](http://b.test/2.jpg \"title\")\n\nOutro.");

        Assert.Equal(5, segments.Count);
        Assert.Equal("Intro line.", segments[0].Text);
        Assert.Equal(new MarkdownImage("First", new Uri("https://a.test/1.png")), segments[1].Image);
        Assert.Equal("between", segments[2].Text);
        Assert.Equal(new MarkdownImage("Second", new Uri("http://b.test/2.jpg")), segments[3].Image);
        Assert.Equal("Outro.", segments[4].Text);
    }

    [Theory]
    [InlineData("```\n![x](https://a.test/x.png)\n```")]
    [InlineData("inline `![x](https://a.test/x.png)` code")]
    [InlineData("relative ![x](images/x.png) and data ![y](data:image/png;base64,AAAA)")]
    [InlineData("a plain [link](https://a.test/page)")]
    public void ImagesInCode_RelativeOrDataUrls_AndLinks_StayText(string text)
    {
        var segment = Assert.Single(MarkdownImages.Split(text));
        Assert.Null(segment.Image);
        Assert.Equal(text, segment.Text);
        Assert.False(MarkdownImages.Contains(text));
    }

    [Fact]
    public void ImageOnly_IsOneImageSegment()
    {
        var segment = Assert.Single(MarkdownImages.Split("![](https://a.test/only.gif)"));
        Assert.Equal(string.Empty, segment.Image!.Alt);
    }

    [Fact]
    public void ReferenceImages_AndTitles_AreImages_ButAnEscapedOneOrOneInsideALinkStaysText()
    {
        var segments = MarkdownImages.Split("Look: ![plot **one**][p] and \\![not](https://a.test/n.png) or [![badge](https://a.test/b.svg)](https://ci.test)\n\n[p]: https://a.test/p.png \"Plot\"");

        Assert.Equal(3, segments.Count);
        Assert.Equal("Look:", segments[0].Text);
        Assert.Equal(new MarkdownImage("plot one", new Uri("https://a.test/p.png")), segments[1].Image);
        Assert.StartsWith("and \\![not](https://a.test/n.png) or [![badge]", segments[2].Text, StringComparison.Ordinal);
    }
}
