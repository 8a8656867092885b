using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

/// <summary>Issue 17 outbound on Telegram: a Markdown image is a native sendPhoto between the text parts, in order.</summary>
public sealed class TelegramImageSendTests : IAsyncLifetime
{
    private readonly FakeTelegramServer _fake = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _services = TelegramTestHost.BuildServices(_fake);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private TelegramSender Sender => _services.GetRequiredService<TelegramSender>();

    private static OutboundMessage To(string text, ChatKind kind = ChatKind.Direct, string? replyTo = null)
        => new() { Target = new DeliveryTarget("telegram", "123456789", kind == ChatKind.Direct ? "1001" : "-1002", null, replyTo, kind), Text = text };

    [Fact]
    public async Task MarkdownImage_IsSentAsSendPhoto_BetweenTheTextParts_InOrder()
    {
        var result = await Sender.SendAsync(
            To("Here is the **chart**:\n\n![Sales by month](https://example.com/charts/sales.png)\n\nSales peaked in *May*.", ChatKind.Group, replyTo: "77"),
            CancellationToken.None);

        var calls = _fake.Requests.Where(r => r.Method is "sendMessage" or "sendPhoto").Select(r => r.Method).ToList();
        Assert.Equal(["sendMessage", "sendPhoto", "sendMessage"], calls);
        var texts = _fake.SentMessages.ToList();
        Assert.Equal("Here is the chart:", texts[0].PlainText);
        Assert.Equal("Sales peaked in May.", texts[1].PlainText);
        var photo = Assert.Single(_fake.SentPhotos);
        Assert.Equal("https://example.com/charts/sales.png", photo.Photo);
        Assert.Equal("Sales by month", photo.Caption);
        Assert.Equal(77, texts[0].ReplyToMessageId); // only the first message quotes the question
        Assert.Null(photo.ReplyToMessageId);
        Assert.Equal(
            [texts[0].MessageId, photo.MessageId, texts[1].MessageId],
            result.PlatformMessageIds.Select(id => long.Parse(id, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task PhotoTelegramCannotFetch_IsSentAsALink()
    {
        _fake.RejectPhotoUrl = url => url.Contains("private", StringComparison.Ordinal);

        var result = await Sender.SendAsync(To("![diagram](https://intranet.example/private/d.png)"), CancellationToken.None);

        Assert.Empty(_fake.SentPhotos);
        var sent = Assert.Single(_fake.SentMessages);
        Assert.Equal("<a href=\"https://intranet.example/private/d.png\">diagram</a>", sent.Text);
        Assert.Single(result.PlatformMessageIds);
    }

    [Fact]
    public async Task ImageInsideACodeBlock_StaysText()
    {
        await Sender.SendAsync(To("```\n![x](https://example.com/x.png)\n```"), CancellationToken.None);

        Assert.Empty(_fake.SentPhotos);
        Assert.Contains("![x](https://example.com/x.png)", Assert.Single(_fake.SentMessages).PlainText, StringComparison.Ordinal);
    }
}
