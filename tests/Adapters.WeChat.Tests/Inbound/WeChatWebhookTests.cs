using System.Net;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

public sealed class WeChatWebhookTests : IAsyncLifetime
{
    private readonly FakeWeChatServer _api = new() { AppId = WeChatTestHost.AppId, AppSecret = WeChatTestHost.AppSecret };
    private WeChatTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        var config = WeChatTestHost.WeChatConfig(_api.BaseUrl);
        config["Channels:WeChat:PassiveReplyWindowMs"] = "0"; // these tests are about ingest; replies are covered elsewhere
        _host = await WeChatTestHost.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task UrlVerification_EchoesEchostr()
    {
        var response = await _host.Client.GetAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery() + "&echostr=8431234567");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("8431234567", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UrlVerification_WrongSignature_Returns401()
    {
        var response = await _host.Client.GetAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(token: "wrong") + "&echostr=8431234567");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PlaintextText_IsAccepted_AndAcknowledgedWithSuccess()
    {
        var response = await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload("wechat-text.xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        var m = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal("wechat", m.Channel);
        Assert.Equal(WeChatTestHost.AppId, m.AccountId);
        Assert.Equal("1234567890123456", m.PlatformMessageId);
        Assert.Equal("你好 this is a test", m.Text);
    }

    [Fact]
    public async Task WrongSignature_Returns401_AndEnqueuesNothing()
    {
        var response = await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(token: "not-the-token"), WeChatTestHost.Payload("wechat-text.xml"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task SafeMode_DecryptsAndAccepts()
    {
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("加密 hello", 777));

        var response = await _host.PostXmlAsync("/webhooks/wechat" + query, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var m = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal("加密 hello", m.Text);
        Assert.Equal("777", m.PlatformMessageId);
    }

    [Fact]
    public async Task SafeMode_TamperedCiphertext_Returns401_AndEnqueuesNothing()
    {
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("hello", 778));
        var start = body.IndexOf("<![CDATA[", body.IndexOf("<Encrypt>", StringComparison.Ordinal), StringComparison.Ordinal) + 9;
        var tampered = body[..(start + 5)] + (body[start + 5] == 'A' ? 'B' : 'A') + body[(start + 6)..];

        var response = await _host.PostXmlAsync("/webhooks/wechat" + query, tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task SafeMode_ResignedGarbageCiphertext_Returns400_AndEnqueuesNothing()
    {
        var cipher = Convert.ToBase64String(new byte[64]);
        var msgSignature = WeChatCrypto.ComputeSignature(WeChatTestHost.Token, "1700000000", "12345", cipher);
        var query = WeChatTestHost.PlainQuery() + "&encrypt_type=aes&msg_signature=" + msgSignature;

        var response = await _host.PostXmlAsync("/webhooks/wechat" + query, $"<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[{cipher}]]></Encrypt></xml>");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task SafeMode_WrongAppId_Returns401_AndEnqueuesNothing()
    {
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("hello", 779), receiveId: "wx_other_app_id");

        var response = await _host.PostXmlAsync("/webhooks/wechat" + query, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task SafeMode_WrongMsgSignature_Returns401_AndEnqueuesNothing()
    {
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("hello", 780));
        query = query.Replace("msg_signature=", "msg_signature=0", StringComparison.Ordinal)[..^1];

        var response = await _host.PostXmlAsync("/webhooks/wechat" + query, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task Doctype_Returns400_AndEnqueuesNothing()
    {
        var response = await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload("wechat-doctype.xml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task ExternalEntity_IsNeverFetched()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"http://127.0.0.1:{port}/xxe\">]><xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>9</MsgId></xml>";

            var response = await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), xml);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            // The parser would have connected while it read the body, before the 400 was written: no wait needed.
            Assert.False(listener.Pending());
            Assert.Empty(_host.Pipeline.Accepted);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task SafeMode_DoctypeInsideCiphertext_Returns400_AndEnqueuesNothing()
    {
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.Payload("wechat-doctype.xml"));

        var response = await _host.PostXmlAsync("/webhooks/wechat" + query, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task UnknownType_IsAcknowledged_AndIgnored()
    {
        var response = await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload("wechat-unknown.xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task SameMsgIdThreeTimes_IsAcceptedOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(nonce: "n" + i), WeChatTestHost.Payload("wechat-text.xml"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal(2, _host.Pipeline.Duplicates);
    }

    [Fact]
    public async Task RepeatedEvent_IsAcceptedOnce()
    {
        for (var i = 0; i < 2; i++)
        {
            await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), WeChatTestHost.Payload("wechat-click.xml"));
        }

        var m = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal(MessageType.Text, m.Type);
        Assert.Equal("oUSER_openid_001:123456791:CLICK", m.PlatformMessageId);
    }

    [Fact]
    public async Task MalformedBody_Returns400()
    {
        var response = await _host.PostXmlAsync("/webhooks/wechat" + WeChatTestHost.PlainQuery(), "<xml><broken>");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }
}
