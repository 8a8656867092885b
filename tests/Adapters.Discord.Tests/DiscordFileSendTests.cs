using OpenClaw.Channels.Discord;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>Issue 17, files from tools on Discord: an <see cref="OutboundMessage.Files"/> entry is a message with the
/// bytes as a multipart attachment, after the text when the text does not place it; one above
/// <see cref="DiscordSender.MaxUploadBytes"/> is posted as its placeholder text.</summary>
public sealed class DiscordFileSendTests : IAsyncLifetime
{
    private readonly FakeDiscordServer _fake = new();
    private DiscordTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        var settings = DiscordTestHost.DefaultSettings(_fake);
        settings["EnableGateway"] = "false";
        _host = await DiscordTestHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static DeliveryTarget Guild => new("discord", "1100000000000000001", "1200000000000000020", null, "1310000000000000500", ChatKind.Group);

    private List<FakeRestCall> Posts => _fake.Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task File_IsUploadedFromItsBytes_AfterTheText()
    {
        var png = System.Security.Cryptography.RandomNumberGenerator.GetBytes(30_000);
        var file = new OutboundFile("chart.png", "image/png", png, "Sales by month");

        await _host.Sender.SendAsync(new OutboundMessage { Target = Guild, Text = "Here is the chart.", Files = [file] }, CancellationToken.None);

        var posts = Posts;
        Assert.Equal(2, posts.Count);
        Assert.Equal("Here is the chart.", posts[0].Body!["content"]!.GetValue<string>());
        var upload = Assert.Single(posts[1].Files);
        Assert.Equal("chart.png", upload.FileName);
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal(png, upload.Data);
        Assert.Equal("Sales by month", posts[1].Body!["attachments"]![0]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task FileAboveTheUploadLimit_IsPostedAsItsPlaceholderText()
    {
        var file = new OutboundFile("video.mp4", "video/mp4", new byte[DiscordSender.MaxUploadBytes + 1]);

        await _host.Sender.SendAsync(new OutboundMessage { Target = Guild, Text = "The recording:", Files = [file] }, CancellationToken.None);

        var posts = Posts;
        Assert.All(posts, p => Assert.Empty(p.Files));
        Assert.Equal(["The recording:", "[file: video.mp4, 10 MB — too large for Discord (limit 10 MB)]"], posts.Select(p => p.Body!["content"]!.GetValue<string>()));
    }
}
