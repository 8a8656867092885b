using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>Issue 17 outbound on Discord: a Markdown image is a message with the image as a multipart attachment
/// (payload_json + files[0]) between the text parts, in order; one above the upload limit is a link.</summary>
public sealed class DiscordImageSendTests : IAsyncLifetime
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

    private static byte[] Png(int length)
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        return bytes;
    }

    private List<FakeRestCall> Posts => _fake.Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task MarkdownImage_IsUploadedAsAMultipartAttachment_BetweenTheTextParts_InOrder()
    {
        var png = Png(120_000);
        _fake.Files.Add("1320000000000000901", png, "image/png", "plot.png");
        var url = _fake.AttachmentUrl("1200000000000000020", "1320000000000000901", "plot.png");

        var result = await _host.Sender.SendAsync(
            new OutboundMessage { Target = Guild, Text = $"Here is the plot:\n\n![Temperature over a week]({url})\n\nIt peaks on **Friday**." },
            CancellationToken.None);

        var posts = Posts;
        Assert.Equal(3, posts.Count);
        Assert.Equal("Here is the plot:", posts[0].Body!["content"]!.GetValue<string>());
        Assert.Empty(posts[0].Files);
        var file = Assert.Single(posts[1].Files);
        Assert.Equal("files[0]", file.FieldName);
        Assert.Equal("plot.png", file.FileName);
        Assert.Equal("image/png", file.ContentType);
        Assert.Equal(png, file.Data);
        Assert.Equal("Temperature over a week", posts[1].Body!["attachments"]![0]!["description"]!.GetValue<string>());
        Assert.Equal("It peaks on **Friday**.", posts[2].Body!["content"]!.GetValue<string>());
        Assert.NotNull(posts[0].Body!["message_reference"]); // only the first message quotes the question
        Assert.Null(posts[1].Body!["message_reference"]);
        Assert.Equal(3, result.PlatformMessageIds.Count);
        Assert.Equal("Bot " + _fake.BotToken, posts[1].Authorization);
    }

    [Fact]
    public async Task ImageAboveTheUploadLimit_IsSentAsALink()
    {
        _fake.Files.Add("1320000000000000902", Png(11 * 1024 * 1024), "image/png", "huge.png");
        var url = _fake.AttachmentUrl("1200000000000000020", "1320000000000000902", "huge.png");

        await _host.Sender.SendAsync(new OutboundMessage { Target = Guild, Text = $"![huge]({url})" }, CancellationToken.None);

        var post = Assert.Single(Posts);
        Assert.Empty(post.Files);
        Assert.Equal($"[huge]({url})", post.Body!["content"]!.GetValue<string>());
        // Content-Length above the cap: BoundedDownload returns TooLarge from the headers (covered by
        // BoundedDownloadTests); the fake's byte count is no measure here, as Kestrel keeps accepting writes after the
        // client left.
        Assert.Single(_fake.Files.Downloads);
    }
}
