using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

public sealed class WeChatNormalizerTests
{
    private readonly WeChatNormalizer _normalizer = new();

    private ChannelMessage? Normalize(string fixture)
    {
        var xml = WeChatTestHost.Payload(fixture);
        var fields = WeChatXml.TryParse(xml);
        Assert.NotNull(fields);
        return _normalizer.Normalize(fields, "wechat", "wx1", xml);
    }

    [Fact]
    public void Text_BecomesDirectTextMessage_KeyedByMsgId()
    {
        var m = Normalize("wechat-text.xml")!;

        Assert.Equal("wechat", m.Channel);
        Assert.Equal("wx1", m.AccountId);
        Assert.Equal("1234567890123456", m.PlatformMessageId);
        Assert.Equal(new ChatRef("oUSER_openid_001", ChatKind.Direct), m.Chat);
        Assert.Equal("oUSER_openid_001", m.Sender.Id);
        Assert.Equal(MessageType.Text, m.Type);
        Assert.Equal("你好 this is a test", m.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1348831860), m.Timestamp);
        Assert.Null(m.Command);
    }

    [Fact]
    public void SlashText_BecomesCommand()
    {
        var fields = WeChatXml.TryParse(WeChatTestHost.TextXml("/reset now", 42))!;
        var m = _normalizer.Normalize(fields, "wechat", "wx1", null)!;

        Assert.Equal(MessageType.Command, m.Type);
        Assert.Equal(new BotCommand("reset", "now"), m.Command);
    }

    [Fact]
    public void Image_CarriesPicUrlAndMediaId()
    {
        var m = Normalize("wechat-image.xml")!;

        Assert.Equal(MessageType.Image, m.Type);
        var a = Assert.Single(m.Attachments);
        Assert.Equal(AttachmentKind.Image, a.Kind);
        Assert.Equal("http://mmbiz.qpic.cn/test/0", a.Url);
        Assert.Equal("media_id_image_1", a.PlatformFileId);
    }

    [Fact]
    public void Voice_UsesRecognitionAsText()
    {
        var m = Normalize("wechat-voice.xml")!;

        Assert.Equal(MessageType.Audio, m.Type);
        Assert.Equal("腾讯微信团队", m.Text);
        var a = Assert.Single(m.Attachments);
        Assert.Equal("media_id_voice_1", a.PlatformFileId);
        Assert.Equal("audio/amr", a.MimeType);
    }

    [Fact]
    public void Video_CarriesMediaId()
    {
        var m = Normalize("wechat-video.xml")!;

        Assert.Equal(MessageType.Video, m.Type);
        Assert.Equal("media_id_video_1", Assert.Single(m.Attachments).PlatformFileId);
    }

    [Fact]
    public void Location_CarriesLatLonAndLabel()
    {
        var m = Normalize("wechat-location.xml")!;

        Assert.Equal("位置信息", m.Text);
        var a = Assert.Single(m.Attachments);
        Assert.Equal(AttachmentKind.Location, a.Kind);
        Assert.Equal("23.134521,113.358803", a.Name);
    }

    [Fact]
    public void Link_CarriesUrlAndTitle()
    {
        var m = Normalize("wechat-link.xml")!;

        var a = Assert.Single(m.Attachments);
        Assert.Equal(AttachmentKind.Link, a.Kind);
        Assert.Equal("https://mp.weixin.qq.com/", a.Url);
        Assert.StartsWith("公众平台官网链接", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Subscribe_IsAnEvent_KeyedBySenderCreateTimeAndEvent()
    {
        var m = Normalize("wechat-subscribe.xml")!;

        Assert.Equal(MessageType.Event, m.Type);
        Assert.Equal("oUSER_openid_001:123456789:subscribe", m.PlatformMessageId);
        Assert.Equal(string.Empty, m.Text);
    }

    [Fact]
    public void ClickWithEventKey_IsTextForTheAgent_KeyedAsAnEvent()
    {
        var m = Normalize("wechat-click.xml")!;

        Assert.Equal(MessageType.Text, m.Type);
        Assert.Equal("V1001_TODAY_MUSIC", m.Text);
        Assert.Equal("oUSER_openid_001:123456791:CLICK", m.PlatformMessageId);
    }

    [Theory]
    [InlineData("wechat-unsubscribe.xml")]
    [InlineData("wechat-view.xml")]
    [InlineData("wechat-scan.xml")]
    [InlineData("wechat-location-event.xml")]
    public void EventsWithoutARequest_GiveNull(string fixture)
    {
        Assert.Null(Normalize(fixture));
    }

    [Fact]
    public void UnknownType_GivesNull()
    {
        Assert.Null(Normalize("wechat-unknown.xml"));
    }
}
