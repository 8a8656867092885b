using System.Net;
using System.Text;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 17 on the WeChat Official Account and WeCom: an image message (PicUrl + MediaId) reaches the model as an
/// image part with the exact bytes fetched through <c>/cgi-bin/media/get</c> inside the turn.</summary>
public class WeChatMediaTests
{
    private const string Token = "hub-wechat-media-token";

    /// <summary>An image message (developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html).</summary>
    private static string ImageXml(long msgId, string picUrl, string mediaId) =>
        $"<xml><ToUserName><![CDATA[gh_test_account]]></ToUserName><FromUserName><![CDATA[oUSER_2]]></FromUserName>" +
        $"<CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[image]]></MsgType>" +
        $"<PicUrl><![CDATA[{picUrl}]]></PicUrl><MediaId><![CDATA[{mediaId}]]></MediaId><MsgId>{msgId}</MsgId></xml>";

    [Fact]
    public async Task ImageMessage_ReachesTheModel_AsImagePart_FromMediaGet()
    {
        await using var wechat = new FakeWeChatServer();
        await wechat.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:WeChat:Token"] = Token,
            ["Channels:WeChat:AppId"] = wechat.AppId,
            ["Channels:WeChat:AppSecret"] = wechat.AppSecret,
            ["Channels:WeChat:ApiBaseUrl"] = wechat.BaseUrl,
            ["Channels:WeChat:PassiveReplyWindowMs"] = "500",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });
        var jpeg = TelegramMediaTests.Jpeg(64_000);
        wechat.Media.Add("MEDIA_ID_123", jpeg, "image/jpeg", "photo.jpg");

        const string timestamp = "1700000000", nonce = "778";
        var query = $"?signature={WeChatCrypto.ComputeSignature(Token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid=oUSER_2";
        using var response = await hub.Http.PostAsync(
            "/webhooks/wechat" + query,
            new StringContent(ImageXml(6001, "http://mmbiz.qpic.cn/unreachable-in-tests.jpg", "MEDIA_ID_123"), Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.UntilAsync(() => model.RequestCount > 0, TimeSpan.FromSeconds(30), () => "the model was not called");

        var user = model.Requests[0].Messages.Last(m => m.Role == "user");
        var image = Assert.Single(user.Images);
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.Equal(jpeg, image.Data);
        Assert.Equal("[image: 62 KB]", user.Content); // 64,000 bytes
        Assert.Equal(["MEDIA_ID_123"], wechat.Media.Downloads);
    }

    [Fact]
    public async Task WeComImageMessage_ReachesTheModel_AsImagePart_FromMediaGet()
    {
        const string corpId = "wwcorp0000001";
        const string aesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        await using var wecom = new FakeWeChatServer { AppId = corpId, AppSecret = "corp-secret" };
        await wecom.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:WeCom:CorpId"] = corpId,
            ["Channels:WeCom:CorpSecret"] = "corp-secret",
            ["Channels:WeCom:AgentId"] = "1000002",
            ["Channels:WeCom:Token"] = Token,
            ["Channels:WeCom:EncodingAESKey"] = aesKey,
            ["Channels:WeCom:ApiBaseUrl"] = wecom.BaseUrl,
            ["Channels:WeCom:PassiveReplyWindowMs"] = "500",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });
        var png = TelegramMediaTests.Jpeg(30_000);
        wecom.Media.Add("WECOM_MEDIA_9", png, "image/jpeg", "shot.jpg");

        // An encrypted WeCom image message (developer.work.weixin.qq.com/document/path/90239 and 90930).
        var inner = $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>" +
            $"<CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[image]]></MsgType>" +
            "<PicUrl><![CDATA[http://wework.qpic.cn/unreachable-in-tests.jpg]]></PicUrl><MediaId><![CDATA[WECOM_MEDIA_9]]></MediaId>" +
            "<MsgId>7700001</MsgId><AgentID>1000002</AgentID></xml>";
        var crypto = new WeChatCrypto(Token, aesKey, corpId);
        var cipher = crypto.Encrypt(inner);
        const string timestamp = "1700000000", nonce = "991";
        var query = $"?msg_signature={WeChatCrypto.ComputeSignature(Token, timestamp, nonce, cipher)}&timestamp={timestamp}&nonce={nonce}";
        var body = $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[{cipher}]]></Encrypt></xml>";
        using var response = await hub.Http.PostAsync("/webhooks/wecom" + query, new StringContent(body, Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.UntilAsync(() => model.RequestCount > 0, TimeSpan.FromSeconds(30), () => "the model was not called");

        var user = model.Requests[0].Messages.Last(m => m.Role == "user");
        var image = Assert.Single(user.Images);
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.Equal(png, image.Data);
        Assert.Equal(["WECOM_MEDIA_9"], wecom.Media.Downloads);
        Assert.True(wecom.TokenFetches >= 1); // through /cgi-bin/gettoken with the CorpId and CorpSecret
    }
}
