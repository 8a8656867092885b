using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Adapters.Tests;

/// <summary>Files placed by <see cref="OutboundSegments"/>, images taken out on the Markdig tree (moved from
/// Abstractions.Tests' OutboundSegmentsTests with the image lookup: same inputs, same assertions).</summary>
public sealed class AnswerSegmentsTests
{
    private static readonly DeliveryTarget Target = new("telegram", "bot1", "42");

    private static readonly OutboundFile Chart = new("chart.png", "image/png", new byte[] { 1, 2, 3 });

    private static OutboundMessage Message(string text, params OutboundFile[] files) => new() { Target = Target, Text = text, Files = files };

    [Fact]
    public void MarkdownImagesAndFiles_KeepTheirOrder_AndAReferenceInCodeStaysText()
    {
        var text = "A ![cat](https://example.com/cat.jpg)\n```\n![x](attachment:chart.png)\n```\nthen `![y](attachment:chart.png)` and ![chart](attachment:chart.png) ![again](attachment:chart.png)";

        var segments = AnswerSegments.Split(Message(text, Chart));

        Assert.Equal("A", segments[0].Text);
        Assert.Equal("https://example.com/cat.jpg", segments[1].Image!.Url.ToString());
        Assert.Equal("```\n![x](attachment:chart.png)\n```\nthen `![y](attachment:chart.png)` and", segments[2].Text);
        Assert.Equal("chart", segments[3].File!.Alt);
        Assert.Equal(4, segments.Count); // the second reference is dropped
    }

    [Fact]
    public void UnknownReference_StaysText_AndNoFilesMeansMarkdownImagesOnly()
    {
        Assert.Equal("see ![x](attachment:nope.png)", Assert.Single(AnswerSegments.Split(Message("see ![x](attachment:nope.png)", Chart)), s => s.Text is not null).Text);
        Assert.Equal(MarkdownImages.Split("a ![b](https://e.com/b.png) c"), AnswerSegments.Split(Message("a ![b](https://e.com/b.png) c")));
        Assert.False(AnswerSegments.HasMedia(Message("plain text")));
        Assert.True(AnswerSegments.HasMedia(Message("plain text", Chart)));
    }

    [Fact]
    public void APlainAnswer_KeepsItsImageSyntaxAsText()
    {
        var message = Message("a ![b](https://e.com/b.png) c") with { Format = TextFormat.Plain };

        Assert.False(AnswerSegments.HasMedia(message));
        Assert.Equal("a ![b](https://e.com/b.png) c", Assert.Single(AnswerSegments.Split(message)).Text);
    }
}
