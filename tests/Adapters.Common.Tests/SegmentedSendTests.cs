namespace OpenClaw.Channels.Adapters.Tests;

public sealed class SegmentedSendTests
{
    private static readonly MarkdownImage Chart = new("the chart", new Uri("https://img.example/chart.png"));
    private static readonly MarkdownImage Unnamed = new(string.Empty, new Uri("https://img.example/x.png"));

    private readonly List<OutboundMessage> _texts = [];
    private readonly List<(OutboundMessage Part, MarkdownImage Image)> _images = [];

    [Fact]
    public async Task SegmentsGoOutInOrder_AndOnlyTheFirstQuotesTheQuestion()
    {
        var result = await SendAsync([new("before", null), new(null, Chart), new("after", null)], accept: true, quoteOnlyFirst: true);

        Assert.Equal(["t1", "i1", "t2"], result.PlatformMessageIds);
        Assert.Equal(["before", "after"], _texts.Select(t => t.Text));
        Assert.Equal("42", _texts[0].Target.ReplyToId);
        Assert.Null(_images[0].Part.Target.ReplyToId);
        Assert.Null(_texts[1].Target.ReplyToId);
    }

    [Fact]
    public async Task WithoutQuoteOnlyFirst_EveryPartKeepsTheTarget()
    {
        await SendAsync([new("a", null), new("b", null)], accept: true, quoteOnlyFirst: false);

        Assert.All(_texts, t => Assert.Equal("42", t.Target.ReplyToId));
    }

    [Fact]
    public async Task RefusedImage_GoesAsAMarkdownLink()
    {
        var result = await SendAsync([new(null, Chart), new(null, Unnamed)], accept: false, quoteOnlyFirst: true);

        Assert.Equal(["[the chart](https://img.example/chart.png)", "[https://img.example/x.png](https://img.example/x.png)"], _texts.Select(t => t.Text));
        Assert.Equal(["t1", "t2"], result.PlatformMessageIds);
    }

    private Task<SendResult> SendAsync(IReadOnlyList<OutboundSegment> segments, bool accept, bool quoteOnlyFirst)
    {
        var message = new OutboundMessage
        {
            Target = new DeliveryTarget("acme", "bot", "c1", ReplyToId: "42", ChatKind: ChatKind.Group),
            Text = "whole answer",
            Format = TextFormat.Markdown,
        };
        return SegmentedSend.SendAsync(
            message,
            segments,
            (part, _) =>
            {
                _texts.Add(part);
                return Task.FromResult(new SendResult(["t" + _texts.Count]));
            },
            (part, image, _) =>
            {
                _images.Add((part, image));
                return Task.FromResult<IReadOnlyList<string>?>(accept ? ["i" + _images.Count] : null);
            },
            sendFile: null,
            quoteOnlyFirst,
            CancellationToken.None);
    }
}
