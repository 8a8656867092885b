using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 3 through the hub: signed Events API POST → pipeline → job → fake model → chat.postMessage at the fake
/// Slack Web API.</summary>
public class SlackChatTests(TestRedis redis) : IClassFixture<TestRedis>
{
    internal const string SigningSecret = "hub-test-signing-secret";

    /// <summary>An Events API <c>event_callback</c> body carrying one <c>message</c> event.</summary>
    internal static string Event(string eventId, string channel, string channelType, string text, string ts, string user = "U0ALICE", string? botId = null)
    {
        var ev = new JsonObject
        {
            ["type"] = "message",
            ["text"] = text,
            ["user"] = user,
            ["ts"] = ts,
            ["channel"] = channel,
            ["event_ts"] = ts,
            ["channel_type"] = channelType,
        };
        if (botId is not null)
        {
            ev["bot_id"] = botId;
        }

        return new JsonObject
        {
            ["token"] = "XXYYZZ",
            ["team_id"] = "T0FAKE",
            ["api_app_id"] = "A0FAKE",
            ["event"] = ev,
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = 1700000100,
            ["authorizations"] = new JsonArray { new JsonObject { ["team_id"] = "T0FAKE", ["user_id"] = "UBOT", ["is_bot"] = true } },
        }.ToJsonString();
    }

    private static async Task<HttpResponseMessage> PostAsync(HubNode hub, string body, int? retryNum = null)
    {
        using var request = SignedEventRequest(body, retryNum);
        return await hub.Http.SendAsync(request);
    }

    /// <summary>A POST of <paramref name="body"/> to <c>/webhooks/slack/events</c> signed with <see cref="SigningSecret"/>.</summary>
    internal static HttpRequestMessage SignedEventRequest(string body, int? retryNum = null)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/slack/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Encoding.ASCII.GetString(SlackSignatureVerifier.Sign(SigningSecret, timestamp, Encoding.UTF8.GetBytes(body))));
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return request;
    }

    private async Task<(HubNode Hub, FakeSlackServer Slack, FakeOpenAiServer Model)> StartAsync(bool stream = false)
    {
        var slack = new FakeSlackServer();
        await slack.StartAsync();
        var model = new FakeOpenAiServer();
        await model.StartAsync();
        var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Channels:Slack:BotToken"] = slack.BotToken,
            ["Channels:Slack:SigningSecret"] = SigningSecret,
            ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Channels:Slack:StreamReplies"] = stream ? "true" : "false",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });
        return (hub, slack, model);
    }

    private static async Task<IReadOnlyList<RecordedCall>> WaitForPostsAsync(FakeSlackServer slack, int count, string method = "chat.postMessage")
    {
        await Eventually.UntilAsync(() => slack.CallsOf(method).Count >= count, TimeSpan.FromSeconds(20), () => $"expected {count} {method} calls, got {slack.CallsOf(method).Count}");
        return slack.CallsOf(method);
    }

    [Fact]
    public async Task DirectMessage_IsAnsweredWithChatPostMessage()
    {
        var (hub, slack, model) = await StartAsync();
        await using (hub)
        await using (slack)
        await using (model)
        {
            using var response = await PostAsync(hub, Event("Ev1", "D0DM1", "im", "hello slack", "1700000100.000200"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var posts = await WaitForPostsAsync(slack, 1);
            Assert.Equal("D0DM1", posts[0].Channel);
            Assert.Equal("answer: hello slack", posts[0].Text);
        }
    }

    [Fact]
    public async Task ChannelMessage_WithoutMention_GetsNothing_WithMention_GetsAThreadedReply()
    {
        var (hub, slack, model) = await StartAsync();
        await using (hub)
        await using (slack)
        await using (model)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, Event("Ev2", "C0GEN", "channel", "just talking", "1700000200.000100"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, Event("Ev3", "C0GEN", "channel", "<@UBOT> status please", "1700000300.000400"))).StatusCode);

            var posts = await WaitForPostsAsync(slack, 1);
            await hub.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
            Assert.Single(slack.CallsOf("chat.postMessage"));
            Assert.Equal("C0GEN", posts[0].Channel);
            Assert.Equal("1700000300.000400", posts[0].ThreadTs);
            Assert.EndsWith("status please", posts[0].Text, StringComparison.Ordinal); // group turns carry the sender's name
            Assert.DoesNotContain("UBOT", model.Requests[0].LastUserText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RetriedEvent_AndBotMessages_ProduceOneReply()
    {
        var (hub, slack, model) = await StartAsync();
        await using (hub)
        await using (slack)
        await using (model)
        {
            var body = Event("Ev4", "D0DM2", "im", "once please", "1700000400.000100");
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, body)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, body, retryNum: 1)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, body, retryNum: 2)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, Event("Ev5", "D0DM2", "im", "beep", "1700000401.000100", user: "U0OTHER", botId: "B0OTHER"))).StatusCode);

            await WaitForPostsAsync(slack, 1);
            await hub.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
            Assert.Single(slack.CallsOf("chat.postMessage"));
            Assert.Equal(1, model.RequestCount);
        }
    }

    [Fact]
    public async Task StreamReplies_PostsAPlaceholder_ThenUpdatesItWithTheAnswer()
    {
        var (hub, slack, model) = await StartAsync(stream: true);
        await using (hub)
        await using (slack)
        await using (model)
        {
            model.StreamChunkDelayMs = 50;
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, Event("Ev6", "D0DM3", "im", "stream it", "1700000500.000100"))).StatusCode);

            var placeholder = (await WaitForPostsAsync(slack, 1))[0];
            var updates = await WaitForPostsAsync(slack, 1, "chat.update");
            await hub.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
            Assert.Single(slack.CallsOf("chat.postMessage"));
            Assert.Equal("…", placeholder.Text);
            var final = slack.CallsOf("chat.update")[^1];
            Assert.Equal("answer: stream it", final.Text);
            Assert.All(slack.CallsOf("chat.update"), u => Assert.Equal(placeholder.Ts ?? u.Ts, u.Ts));
        }
    }

    [Fact]
    public async Task TamperedSignature_Returns401_AndNothingRuns()
    {
        var (hub, slack, model) = await StartAsync();
        await using (hub)
        await using (slack)
        await using (model)
        {
            var body = Event("Ev7", "D0DM4", "im", "evil", "1700000600.000100");
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/slack/events") { Content = new StringContent(body.Replace("evil", "evi1", StringComparison.Ordinal), Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", Encoding.ASCII.GetString(SlackSignatureVerifier.Sign(SigningSecret, timestamp, Encoding.UTF8.GetBytes(body))));
            Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(request)).StatusCode);

            // Positive marker instead of a sleep: a signed message posted after it is answered, and the hub is idle.
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(hub, Event("Ev8", "D0DM5", "im", "marker", "1700000601.000100"))).StatusCode);
            await WaitForPostsAsync(slack, 1);
            await hub.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
            Assert.Equal(["answer: marker"], slack.CallsOf("chat.postMessage").Select(c => c.Text));
            Assert.Equal(1, model.RequestCount); // the marker's turn only: the tampered event never ran
        }
    }
}
