using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Fakes.WeChat;
using OpenClaw.Channels.Slack;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 14 through the whole hub (signed webhook → pipeline → job → fake model → fake platform): what a Slack
/// or WeChat user types reaches the model as they see it, and what they get back is what they should get.</summary>
public class ChannelFidelityTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private const string SigningSecret = "hub-fidelity-signing-secret";
    private const string WeChatToken = "hub-fidelity-wechat-token";

    [Fact]
    public async Task Slack_EscapedText_ReachesTheModelUnescaped_AndTheAnswerShowsAsWritten()
    {
        var slack = new FakeSlackServer();
        await slack.StartAsync();
        var model = new FakeOpenAiServer();
        await model.StartAsync();
        await using var hub = await HubNode.StartAsync(SlackConfig(slack, model));
        await using (slack)
        await using (model)
        {
            using var response = await PostSignedAsync(hub, "/webhooks/slack/events", SlackDm("EvF1", "3 &lt; 5 &amp;&amp; 5 &gt; 2"), "application/json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var post = (await WaitForAsync(() => slack.CallsOf("chat.postMessage"), c => c.Count >= 1))[0];
            Assert.Equal("3 < 5 && 5 > 2", model.Requests[0].LastUserText);
            Assert.Equal("answer: 3 < 5 && 5 > 2", FakeSlackServer.Displayed(post.Text!));
            Assert.DoesNotContain("&amp;lt;", post.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Slack_SlashCommand_IsAckedAtOnce_AndAnsweredThroughResponseUrl()
    {
        var slack = new FakeSlackServer();
        await slack.StartAsync();
        var model = new FakeOpenAiServer();
        await model.StartAsync();
        await using var hub = await HubNode.StartAsync(SlackConfig(slack, model));
        await using (slack)
        await using (model)
        {
            var form = string.Join('&', new Dictionary<string, string>
            {
                ["team_id"] = "T0FAKE",
                ["channel_id"] = "C0GENERAL",
                ["user_id"] = "U0ALICE",
                ["user_name"] = "alice",
                ["command"] = "/ask",
                ["text"] = "what is 6 x 7?",
                ["api_app_id"] = "A0FAKE",
                ["response_url"] = slack.ResponseUrl("42"),
                ["trigger_id"] = "1.2.3",
            }.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await PostSignedAsync(hub, "/webhooks/slack/commands", form, "application/x-www-form-urlencoded");
            clock.Stop();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"acked after {clock.Elapsed}");
            var answer = (await WaitForAsync(() => slack.ResponseUrlPosts.ToList(), p => p.Count >= 1))[0];
            Assert.Equal("answer: alice: what is 6 x 7?", (string?)answer["text"]); // group turns carry the sender's name
            Assert.Equal("in_channel", (string?)answer["response_type"]);
            Assert.Empty(slack.CallsOf("chat.postMessage"));
        }
    }

    [Fact]
    public async Task WeChat_SubscribeWithWelcome_CostsNoModelCall_UnsubscribeIsNeverAnswered()
    {
        var wechat = new FakeWeChatServer();
        await wechat.StartAsync();
        var model = new FakeOpenAiServer();
        await model.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Channels:WeChat:Token"] = WeChatToken,
            ["Channels:WeChat:AppId"] = wechat.AppId,
            ["Channels:WeChat:AppSecret"] = wechat.AppSecret,
            ["Channels:WeChat:ApiBaseUrl"] = wechat.BaseUrl,
            ["Channels:WeChat:WelcomeText"] = "欢迎关注!",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });
        await using (wechat)
        await using (model)
        {
            var subscribe = await PostWeChatAsync(hub, EventXml("subscribe", 1));
            var unsubscribe = await PostWeChatAsync(hub, EventXml("unsubscribe", 2));
            // Positive marker: a text message afterwards is answered by the model.
            var text = await PostWeChatAsync(hub, $"<xml><ToUserName><![CDATA[gh_test_account]]></ToUserName><FromUserName><![CDATA[oUSER_9]]></FromUserName><CreateTime>1700000003</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>9001</MsgId></xml>");

            Assert.Contains("<Content><![CDATA[欢迎关注!]]></Content>", subscribe, StringComparison.Ordinal);
            Assert.Equal("success", unsubscribe);
            if (!text.Contains("answer: hello", StringComparison.Ordinal))
            {
                // Slower than the passive-reply window under load: then it comes through the customer-service API.
                await WaitForAsync(() => wechat.Sent.Select(m => m.Content).ToList(), c => c.Contains("answer: hello"));
            }

            Assert.Equal(1, model.RequestCount);
            Assert.DoesNotContain(wechat.Attempts, a => a.Content is not null && a.Content.Contains("欢迎", StringComparison.Ordinal));
        }
    }

    private Dictionary<string, string?> SlackConfig(FakeSlackServer slack, FakeOpenAiServer model) => new()
    {
        ["ConnectionStrings:Redis"] = redis.ConnectionString,
        ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
        ["Channels:Slack:BotToken"] = slack.BotToken,
        ["Channels:Slack:SigningSecret"] = SigningSecret,
        ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
        ["Agent:Endpoint"] = model.ApiBaseUrl,
    };

    private static string SlackDm(string eventId, string text) => new JsonObject
    {
        ["token"] = "XXYYZZ",
        ["team_id"] = "T0FAKE",
        ["api_app_id"] = "A0FAKE",
        ["event"] = new JsonObject
        {
            ["type"] = "message",
            ["text"] = text,
            ["user"] = "U0ALICE",
            ["ts"] = "1700000700.000100",
            ["channel"] = "D0DMF",
            ["event_ts"] = "1700000700.000100",
            ["channel_type"] = "im",
        },
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000700,
        ["authorizations"] = new JsonArray { new JsonObject { ["team_id"] = "T0FAKE", ["user_id"] = "UBOT", ["is_bot"] = true } },
    }.ToJsonString();

    private static async Task<HttpResponseMessage> PostSignedAsync(HubNode hub, string path, string body, string contentType)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Encoding.ASCII.GetString(SlackSignatureVerifier.Sign(SigningSecret, timestamp, Encoding.UTF8.GetBytes(body))));
        return await hub.Http.SendAsync(request);
    }

    private static string EventXml(string ev, int n) =>
        $"<xml><ToUserName><![CDATA[gh_test_account]]></ToUserName><FromUserName><![CDATA[oUSER_9]]></FromUserName><CreateTime>170000000{n}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{ev}]]></Event></xml>";

    private static async Task<string> PostWeChatAsync(HubNode hub, string xml)
    {
        const string timestamp = "1700000000", nonce = "778";
        var query = $"?signature={WeChatCrypto.ComputeSignature(WeChatToken, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid=oUSER_9";
        using var response = await hub.Http.PostAsync("/webhooks/wechat" + query, new StringContent(xml, Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var value = read();
        await Eventually.UntilAsync(() => done(value = read()), TimeSpan.FromSeconds(20));
        return value;
    }
}
