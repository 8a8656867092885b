using System.Net;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

/// <summary>WeCom callbacks with the wechatpy sample (PROTOCOLS.md §3.5): token 123456, CorpId wx49f0ab532d5d035a.</summary>
public sealed class WeComWebhookTests : IAsyncLifetime
{
    private const string Token = "123456";
    private const string AesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    private const string CorpId = "wx49f0ab532d5d035a";

    private readonly FakeWeChatServer _api = new() { AppId = CorpId, AppSecret = "corp-secret" };
    private WeChatTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _host = await WeChatTestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Channels:WeCom:CorpId"] = CorpId,
                ["Channels:WeCom:CorpSecret"] = "corp-secret",
                ["Channels:WeCom:AgentId"] = "1",
                ["Channels:WeCom:Token"] = Token,
                ["Channels:WeCom:EncodingAESKey"] = AesKey,
                ["Channels:WeCom:ApiBaseUrl"] = _api.BaseUrl,
                ["Channels:WeCom:PassiveReplyWindowMs"] = "300",
            },
            wechat: false,
            wecom: true);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task UrlVerification_AnswersTheDecryptedEchostr()
    {
        const string echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";
        new WeChatCrypto(Token, AesKey, CorpId).TryDecrypt(echo, out var expected);

        var response = await _host.Client.GetAsync($"/webhooks/wecom?msg_signature=dd6b9c95b495b3f7e2901bfbc76c664930ffdb96&timestamp=1411443780&nonce=437374425&echostr={Uri.EscapeDataString(echo)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UrlVerification_WrongSignature_Returns401()
    {
        const string echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";

        var response = await _host.Client.GetAsync($"/webhooks/wecom?msg_signature=dd6b9c95b495b3f7e2901bfbc76c664930ffdb96&timestamp=1411443780&nonce=437374424&echostr={Uri.EscapeDataString(echo)}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SampleCallback_IsAccepted()
    {
        const string body = "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n<Encrypt><![CDATA[RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=]]></Encrypt>\n<AgentID><![CDATA[1]]></AgentID>\n</xml>";

        var response = await _host.PostXmlAsync("/webhooks/wecom?msg_signature=74d92dfeb87ba7c714f89d98870ae5eb62dff26d&timestamp=1411525903&nonce=461056294", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var m = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal("wecom", m.Channel);
        Assert.Equal("wx49f0ab532d5d035a:1", m.AccountId);
        Assert.Equal("messense", m.Chat.Id);
        Assert.Equal("test", m.Text);
    }

    [Fact]
    public async Task PlaintextCallback_IsRejected_AndEnqueuesNothing()
    {
        var response = await _host.PostXmlAsync("/webhooks/wecom?msg_signature=74d92dfeb87ba7c714f89d98870ae5eb62dff26d&timestamp=1411525903&nonce=461056294", WeChatTestHost.TextXml("hi", 5));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task FastAnswer_IsAnEncryptedPassiveReply()
    {
        _host.StartAgent(TimeSpan.FromMilliseconds(50), _ => "企业微信回复", "wecom");
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("hi", 6, from: "zhangsan"), CorpId, Token, AesKey);

        var response = await _host.PostXmlAsync("/webhooks/wecom" + query, body);

        var envelope = WeChatXml.TryParse(await response.Content.ReadAsStringAsync())!;
        var crypto = new WeChatCrypto(Token, AesKey, CorpId);
        Assert.True(crypto.VerifyMessageSignature(envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]));
        Assert.Equal(WeChatDecryptStatus.Ok, crypto.TryDecrypt(envelope["Encrypt"], out var inner));
        var reply = WeChatXml.TryParse(inner!)!;
        Assert.Equal("zhangsan", reply["ToUserName"]);
        Assert.Equal("企业微信回复", reply["Content"]);
    }

    [Fact]
    public async Task SlowAnswer_GoesThroughMessageSend_WithAgentId()
    {
        _host.StartAgent(TimeSpan.FromMilliseconds(800), _ => "later", "wecom");
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("hi", 7, from: "lisi"), CorpId, Token, AesKey);

        var response = await _host.PostXmlAsync("/webhooks/wecom" + query, body);

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        await _api.WaitForSentAsync(1, TimeSpan.FromSeconds(15));
        var sent = Assert.Single(_api.Sent);
        Assert.Equal("wecom", sent.Api);
        Assert.Equal("lisi", sent.ToUser);
        Assert.Equal(1, (int?)sent.Body["agentid"]);
        Assert.Equal("later", sent.Content);
    }

    [Fact]
    public async Task OtherAgentId_IsAcknowledged_AndIgnored()
    {
        var xml = WeChatTestHost.TextXml("hi", 9).Replace("</xml>", "<AgentID>2</AgentID></xml>", StringComparison.Ordinal);
        var (query, body) = WeChatTestHost.SafeModeRequest(xml, CorpId, Token, AesKey);

        var response = await _host.PostXmlAsync("/webhooks/wecom" + query, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task WrongCorpId_Returns401_AndEnqueuesNothing()
    {
        var (query, body) = WeChatTestHost.SafeModeRequest(WeChatTestHost.TextXml("hi", 8), "ww_other_corp", Token, AesKey);

        var response = await _host.PostXmlAsync("/webhooks/wecom" + query, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }
}
