namespace OpenClaw.Channels.Tests;

public sealed class OutboundSegmentsTests
{
    private static readonly DeliveryTarget Target = new("telegram", "bot1", "42");

    private static readonly OutboundFile Chart = new("chart.png", "image/png", new byte[] { 1, 2, 3 });

    private static readonly OutboundFile Report = new("report.pdf", "application/pdf", new byte[2048]);

    private static OutboundMessage Message(string text, params OutboundFile[] files) => new() { Target = Target, Text = text, Files = files };

    [Fact]
    public void ReferencedFile_GoesWhereTheTextPlacesIt_WithTheAltText_AndOthersFollowTheText()
    {
        var segments = OutboundSegments.Split(Message("Chart:\n![Sales](attachment:chart.png)\nThat is all.", Chart, Report));

        Assert.Equal(4, segments.Count);
        Assert.Equal("Chart:", segments[0].Text);
        Assert.Equal(Chart with { Alt = "Sales" }, segments[1].File);
        Assert.Equal("That is all.", segments[2].Text);
        Assert.Same(Report, segments[3].File);
    }

    [Fact]
    public void AReferenceInCodeStaysText_ASecondReferenceIsDropped_AndMarkdownImagesStayInTheText()
    {
        var text = "A ![cat](https://example.com/cat.jpg)\n```\n![x](attachment:chart.png)\n```\nthen `![y](attachment:chart.png)` and ![chart](attachment:chart.png) ![again](attachment:chart.png)";

        var segments = OutboundSegments.Split(Message(text, Chart));

        Assert.Equal("A ![cat](https://example.com/cat.jpg)\n```\n![x](attachment:chart.png)\n```\nthen `![y](attachment:chart.png)` and", segments[0].Text);
        Assert.Equal("chart", segments[1].File!.Alt);
        Assert.Equal(2, segments.Count); // the second reference is dropped
    }

    [Fact]
    public void UnknownReference_StaysText()
    {
        Assert.Equal("see ![x](attachment:nope.png)", Assert.Single(OutboundSegments.Split(Message("see ![x](attachment:nope.png)", Chart)), s => s.Text is not null).Text);
    }

    [Fact]
    public void InlinePlaceholders_ReplaceTheReference_AndAppendTheRest()
    {
        var text = OutboundSegments.InlinePlaceholders("Chart: ![Sales](attachment:chart.png) done.", [Chart, Report]);

        Assert.Equal("Chart: [image: chart.png, 3 B] done.\n\n[file: report.pdf, 2 KB]", text);
        Assert.Equal("unchanged", OutboundSegments.InlinePlaceholders("unchanged", []));
        Assert.Equal("[file: report.pdf, 2 KB — too large for Telegram (limit 50 MB)]", Report.Placeholder("too large for Telegram (limit 50 MB)"));
    }
}
