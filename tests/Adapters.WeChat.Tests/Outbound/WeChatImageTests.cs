using System.Text;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.WeChat;

namespace OpenClaw.Channels.Tests;

/// <summary>Issue 17, WeChat / WeCom outbound images: a Markdown image is fetched, uploaded with <c>media/upload</c>
/// (type image, multipart part <c>media</c> with filename, filelength, Content-Type) and sent as an image message between
/// the text parts; one image as the whole answer rides on the passive reply as <c>&lt;Image&gt;&lt;MediaId&gt;</c>; images
/// count in the message budget; an image above 10 MB goes as a link without an upload.</summary>
public sealed class WeChatImageTests : IAsyncLifetime
{
    private readonly FakeWeChatServer _api = new() { AppId = WeChatTestHost.AppId, AppSecret = WeChatTestHost.AppSecret };
    private readonly FakeImageHost _images = new();

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        await _images.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _images.DisposeAsync();
    }

    /// <summary>A PNG signature followed by <paramref name="length"/> − 8 pseudo-random bytes.</summary>
    private static byte[] Png(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(data, 0);
        return data;
    }

    private static OutboundMessage To(string text, string channel = "wechat", string chat = "oUSER_img")
        => new() { Target = new DeliveryTarget(channel, WeChatTestHost.AppId, chat), Text = text };

    [Fact]
    public async Task MarkdownImage_UploadedInTheDocumentedShape_ThenImageMessage_BetweenTheTextParts()
    {
        var png = Png(48_000);
        _images.Files.Add("chart", png, "image/png", "chart.png");
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));

        await host.Sender().SendAsync(To($"Here is the chart:\n\n![sales chart]({_images.Url("chart", "chart.png")})\n\nAnything else?"), CancellationToken.None);

        var upload = Assert.Single(_api.Uploads);
        Assert.Equal("image", upload.Type);
        Assert.Equal("media", upload.FieldName);
        Assert.Equal("image.png", upload.FileName);
        Assert.Equal(png.Length, upload.FileLength);
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal(png, upload.Data);

        var sent = _api.Sent.ToList();
        Assert.Equal(3, sent.Count);
        Assert.Equal("Here is the chart:", sent[0].Content);
        Assert.Equal("image", (string?)sent[1].Body["msgtype"]);
        Assert.Equal(upload.MediaId, (string?)sent[1].Body["image"]?["media_id"]);
        Assert.Equal("oUSER_img", sent[1].ToUser);
        Assert.Equal("Anything else?", sent[2].Content);
    }

    [Fact]
    public async Task ImageAbove10MB_GoesAsALink_WithoutUpload()
    {
        _images.Files.Add("huge", Png((10 * 1024 * 1024) + 1), "image/png", "huge.png");
        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl));
        var url = _images.Url("huge", "huge.png");

        await host.Sender().SendAsync(To($"![big picture]({url})"), CancellationToken.None);

        Assert.Empty(_api.Uploads);
        var sent = Assert.Single(_api.Sent);
        Assert.Equal("big picture: " + url, sent.Content);
    }

    [Fact]
    public async Task ImagesCountInTheMessageBudget_TheRestGoesAsTextInTheLastMessage()
    {
        foreach (var key in new[] { "a", "b", "c" })
        {
            _images.Files.Add(key, Png(2_000), "image/png", key + ".png");
        }

        await using var host = await WeChatTestHost.StartAsync(WeChatTestHost.WeChatConfig(_api.BaseUrl)); // MaxMessagesPerAnswer 3
        await host.Sender().SendAsync(
            To($"Three pictures:\n![a]({_images.Url("a", "a.png")})\n![b]({_images.Url("b", "b.png")})\n![c]({_images.Url("c", "c.png")})"),
            CancellationToken.None);

        var upload = Assert.Single(_api.Uploads); // the third message has no room for two images
        var sent = _api.Sent.ToList();
        Assert.Equal(3, sent.Count);
        Assert.Equal("Three pictures:", sent[0].Content);
        Assert.Equal(upload.MediaId, (string?)sent[1].Body["image"]?["media_id"]);
        Assert.Equal($"b: {_images.Url("b", "b.png")}\n\nc: {_images.Url("c", "c.png")}", sent[2].Content);
    }

    [Fact]
    public async Task OneImageAnswer_RidesOnThePassiveReply_AsImageXml()
    {
        var png = Png(9_000);
        _images.Files.Add("pic", png, "image/png", "pic.png");
        var config = WeChatTestHost.WeChatConfig(_api.BaseUrl);
        config["Channels:WeChat:PassiveReplyWindowMs"] = "4000";
        await using var host = await WeChatTestHost.StartAsync(config);
        host.StartAgent(TimeSpan.Zero, _ => $"![the picture]({_images.Url("pic", "pic.png")})");

        using var response = await host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.TextXml("a picture please", 9101));
        var body = await response.Content.ReadAsStringAsync();

        var upload = Assert.Single(_api.Uploads);
        Assert.Equal(png, upload.Data);
        Assert.Contains($"<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[{upload.MediaId}]]></MediaId></Image>", body, StringComparison.Ordinal);
        Assert.Empty(_api.Attempts); // no customer-service message
    }

    [Fact]
    public async Task WeCom_ImageMessage_HasAgentIdAndMediaId()
    {
        await using var api = new FakeWeChatServer { AppId = "wwcorp0001", AppSecret = "corp-secret", AnswerUploadsAsWeCom = true };
        await api.StartAsync();
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, .. Encoding.ASCII.GetBytes("JFIF-ish test bytes"), 0xFF, 0xD9];
        _images.Files.Add("photo", jpeg, "image/jpeg", "photo.jpg");
        await using var host = await WeChatTestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Channels:WeCom:CorpId"] = "wwcorp0001",
                ["Channels:WeCom:CorpSecret"] = "corp-secret",
                ["Channels:WeCom:AgentId"] = "1000002",
                ["Channels:WeCom:AllowPrivateMediaHosts"] = "true",
                ["Channels:WeCom:Token"] = WeChatTestHost.Token,
                ["Channels:WeCom:EncodingAESKey"] = WeChatTestHost.AesKey,
                ["Channels:WeCom:ApiBaseUrl"] = api.BaseUrl,
            },
            wechat: false,
            wecom: true);

        await host.Sender("wecom").SendAsync(To($"![photo]({_images.Url("photo", "photo.jpg")})", "wecom", "zhangsan"), CancellationToken.None);

        var upload = Assert.Single(api.Uploads);
        Assert.Equal(("image", "image.jpg", "image/jpeg"), (upload.Type, upload.FileName, upload.ContentType));
        Assert.Equal(jpeg, upload.Data);
        var sent = Assert.Single(api.Sent);
        Assert.Equal("wecom", sent.Api);
        Assert.Equal("""{"touser":"zhangsan","msgtype":"image","agentid":1000002,"image":{"media_id":"UPLOADED_MEDIA_1"},"safe":0}""", sent.Body.ToJsonString());
    }
}
