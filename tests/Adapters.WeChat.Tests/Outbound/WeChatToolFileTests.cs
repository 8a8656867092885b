using OpenClaw.Channels.Fakes.WeChat;

namespace OpenClaw.Channels.Tests;

/// <summary>Issue 17, files a tool returned (<see cref="OutboundMessage.Files"/>) on WeChat / WeCom: an image is uploaded
/// from its bytes with <c>media/upload</c> and sent as an image message where the answer references it; a file the
/// platform cannot take as an image is written as its placeholder.</summary>
public sealed class WeChatToolFileTests : IAsyncLifetime
{
    private readonly FakeWeChatServer _api = new() { AppId = WeChatTestHost.AppId, AppSecret = WeChatTestHost.AppSecret };

    public Task InitializeAsync() => _api.StartAsync();

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private static byte[] Png(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(data, 0);
        return data;
    }

    [Fact]
    public async Task ToolImage_UploadedFromItsBytes_AndSentWhereTheAnswerReferencesIt_OtherFilesAsPlaceholders()
    {
        var png = Png(20_000);
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));
        Assert.True(host.Sender().Capabilities.SupportsFiles);
        var message = new OutboundMessage
        {
            Target = new DeliveryTarget("wechat", WeChatTestHost.AppId, "oUSER_tool"),
            Text = "Here is the chart:\n\n![sales](attachment:chart.png)\n\nThe report follows.",
            Files = [new OutboundFile("chart.png", "image/png", png), new OutboundFile("report.pdf", "application/pdf", new byte[2048])],
        };

        await host.Sender().SendAsync(message, CancellationToken.None);

        var upload = Assert.Single(_api.Uploads);
        Assert.Equal("image", upload.Type);
        Assert.Equal("chart.png", upload.FileName);
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal(png, upload.Data);
        var sent = _api.Sent.ToList();
        Assert.Equal(3, sent.Count); // the answer's budget (MaxMessagesPerAnswer 3): the rest shares the last message
        Assert.Equal("Here is the chart:", sent[0].Content);
        Assert.Equal("image", (string?)sent[1].Body["msgtype"]);
        Assert.Equal(upload.MediaId, (string?)sent[1].Body["image"]?["media_id"]);
        Assert.StartsWith("The report follows.", sent[2].Content, StringComparison.Ordinal);
        Assert.Contains("[file: report.pdf, 2 KB]", sent[2].Content, StringComparison.Ordinal);
    }
}
