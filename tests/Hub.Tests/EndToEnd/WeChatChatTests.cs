using System.Net;
using System.Text;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 6 through the hub: a WeChat Official Account text message answered passively when the model is fast,
/// and through the customer-service API (after an immediate <c>success</c>) when it is slow; retries of the same MsgId
/// during the run give one run and one delivery.</summary>
public class WeChatChatTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private const string Token = "hub-wechat-token";

    private static string TextXml(long msgId, string text) =>
        $"<xml><ToUserName><![CDATA[gh_test_account]]></ToUserName><FromUserName><![CDATA[oUSER_1]]></FromUserName>" +
        $"<CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType>" +
        $"<Content><![CDATA[{text}]]></Content><MsgId>{msgId}</MsgId></xml>";

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HubNode hub, string xml)
    {
        const string timestamp = "1700000000", nonce = "777";
        var query = $"?signature={WeChatCrypto.ComputeSignature(Token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid=oUSER_1";
        using var response = await hub.Http.PostAsync("/webhooks/wechat" + query, new StringContent(xml, Encoding.UTF8, "text/xml"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HubNode Hub, FakeWeChatServer WeChat, FakeOpenAiServer Model)> StartAsync(int modelLatencyMs, int windowMs)
    {
        var wechat = new FakeWeChatServer();
        await wechat.StartAsync();
        var model = new FakeOpenAiServer { LatencyMs = modelLatencyMs };
        await model.StartAsync();
        var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Channels:WeChat:Token"] = Token,
            ["Channels:WeChat:AppId"] = wechat.AppId,
            ["Channels:WeChat:AppSecret"] = wechat.AppSecret,
            ["Channels:WeChat:ApiBaseUrl"] = wechat.BaseUrl,
            ["Channels:WeChat:PassiveReplyWindowMs"] = windowMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });
        return (hub, wechat, model);
    }

    [Fact]
    public async Task FastModel_AnswerRidesOnThePassiveReply()
    {
        // The longest window WeChat's 5-s limit allows, so a loaded machine still answers within it (not the point).
        var (hub, wechat, model) = await StartAsync(modelLatencyMs: 0, windowMs: 4800);
        await using (hub)
        await using (wechat)
        await using (model)
        {
            var (status, body) = await PostAsync(hub, TextXml(5001, "quick one"));

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("<Content><![CDATA[answer: quick one]]></Content>", body, StringComparison.Ordinal);
            Assert.Contains("<ToUserName><![CDATA[oUSER_1]]></ToUserName>", body, StringComparison.Ordinal);
            await hub.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
            Assert.Empty(wechat.Sent);
        }
    }

    [Fact]
    public async Task SlowModel_SuccessAtOnce_ThenOneCustomerServiceMessage_EvenWithRetries()
    {
        var (hub, wechat, model) = await StartAsync(modelLatencyMs: 5000, windowMs: 500);
        await using (hub)
        await using (wechat)
        await using (model)
        {
            var xml = TextXml(5002, "slow one");
            var started = DateTime.UtcNow;
            var first = await PostAsync(hub, xml);
            Assert.Equal("success", first.Body);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "'success' comes with the window, long before the 5-s model answers");

            // WeChat retries the same MsgId while the run is in flight.
            Assert.Equal("success", (await PostAsync(hub, xml)).Body);
            Assert.Equal("success", (await PostAsync(hub, xml)).Body);

            await wechat.WaitForSentAsync(1, TimeSpan.FromSeconds(15));
            await hub.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
            var sent = Assert.Single(wechat.Sent);
            Assert.Equal("oUSER_1", sent.Body["touser"]!.GetValue<string>());
            Assert.Equal("answer: slow one", sent.Body["text"]!["content"]!.GetValue<string>());
            Assert.Equal(1, model.RequestCount);
        }
    }
}
