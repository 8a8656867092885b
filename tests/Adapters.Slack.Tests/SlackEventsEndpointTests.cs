using System.Net;
using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

public sealed class SlackEventsEndpointTests : IAsyncLifetime
{
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task UrlVerification_AnswersChallenge()
    {
        var response = await _host.PostEventAsync(SlackTestHost.Payload("url-verification.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task DmMessage_IsAcceptedAsDirectMessage()
    {
        var response = await _host.PostEventAsync(SlackTestHost.Payload("dm-message.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal("slack", message.Channel);
        Assert.Equal("T0FAKE", message.AccountId);
        Assert.Equal("D0DM00001:1700000100.000200", message.PlatformMessageId);
        Assert.Equal(new ChatRef("D0DM00001", ChatKind.Direct), message.Chat);
        Assert.Equal("U0ALICE", message.Sender.Id);
        Assert.False(message.Sender.IsBot);
        Assert.Equal("Hello there, can you *summarize* this?", message.Text);
        Assert.Equal("1700000100.000200", message.NativeMessageId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000100000), message.Timestamp);
        Assert.Equal("agent:main:slack:direct:D0DM00001", Channels.SessionKey.For(message).Value);
    }

    [Theory]
    [InlineData("tampered-body")]
    [InlineData("stale-timestamp")]
    [InlineData("missing-signature")]
    [InlineData("missing-timestamp")]
    [InlineData("wrong-secret")]
    public async Task BadSignature_Returns401_AndEnqueuesNothing(string variant)
    {
        var body = SlackTestHost.Payload("dm-message.json");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var response = variant switch
        {
            "tampered-body" => await _host.PostEventAsync(body.Replace("summarize", "summarizE", StringComparison.Ordinal), signature: SlackTestHost.Sign(body, now), timestamp: now),
            "stale-timestamp" => await _host.PostEventAsync(body, timestamp: now - 301),
            "missing-signature" => await _host.PostEventAsync(body, r => r.Headers.Remove("X-Slack-Signature")),
            "missing-timestamp" => await _host.PostEventAsync(body, r => r.Headers.Remove("X-Slack-Request-Timestamp")),
            _ => await _host.PostEventAsync(body, signature: SlackTestHost.Sign(body, now, "another-secret"), timestamp: now),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
        Assert.Equal(0, _host.Pipeline.Duplicates);
    }

    [Fact]
    public async Task BodyAboveMaxBodyBytes_Returns413_AndEnqueuesNothing()
    {
        // Signed correctly, but larger than the default MaxBodyBytes (1 MiB), the events endpoint's request size limit.
        var body = SlackTestHost.Payload("dm-message.json").TrimEnd().TrimEnd('}') + ",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}";

        using var response = await _host.PostEventAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task ChannelMessageWithoutMention_IsIgnoredByPolicy()
    {
        var response = await _host.PostEventAsync(SlackTestHost.Payload("channel-message.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task ChannelMessageWithMention_IsAcceptedWithThreadTarget_AndMentionStripped()
    {
        var response = await _host.PostEventAsync(SlackTestHost.Payload("channel-mention-message.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(_host.Pipeline.Accepted);
        Assert.True(message.MentionsBot);
        Assert.Equal("what is the status of the deploy?", message.Text);
        Assert.Equal(new ChatRef("C0GENERAL", ChatKind.Group, "1700000300.000400"), message.Chat);
        Assert.Equal("C0GENERAL", message.ReplyTarget.ChatId);
        Assert.Equal("1700000300.000400", message.ReplyTarget.ThreadId);
        Assert.Equal("agent:main:slack:group:C0GENERAL:thread:1700000300.000400", Channels.SessionKey.For(message).Value);
    }

    [Fact]
    public async Task MessageAndAppMentionTwin_AreAcceptedOnce()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.PostEventAsync(SlackTestHost.Payload("channel-mention-message.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostEventAsync(SlackTestHost.Payload("app-mention.json"))).StatusCode);
        Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal(1, _host.Pipeline.Duplicates);
    }

    [Fact]
    public async Task RetriedEvent_WithRetryNum1And2_IsAcceptedOnce()
    {
        var body = SlackTestHost.Payload("dm-message.json");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostEventAsync(body)).StatusCode);
        for (var retry = 1; retry <= 2; retry++)
        {
            var n = retry;
            var response = await _host.PostEventAsync(body, r =>
            {
                r.Headers.Add("X-Slack-Retry-Num", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                r.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal(2, _host.Pipeline.Duplicates);
    }

    [Theory]
    [InlineData("bot-message.json")]
    [InlineData("message-changed.json")]
    public async Task BotMessageOrEdit_ProducesNothing(string fixture)
    {
        var response = await _host.PostEventAsync(SlackTestHost.Payload(fixture));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
        Assert.Equal(0, _host.Pipeline.Duplicates);
    }

    [Fact]
    public async Task OwnMessage_ProducesNothing()
    {
        var body = SlackTestHost.Payload("dm-message.json").Replace("\"user\": \"U0ALICE\"", "\"user\": \"UBOT\"", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostEventAsync(body)).StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task FileShare_BecomesImageAttachment()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.PostEventAsync(SlackTestHost.Payload("file-share.json"))).StatusCode);
        var message = Assert.Single(_host.Pipeline.Accepted);
        Assert.Equal("here is the chart", message.Text);
        var file = Assert.Single(message.Attachments);
        Assert.Equal(new Attachment(AttachmentKind.Image, "https://files.slack.com/files-pri/T0FAKE-F0CHART01/download/chart.png", "F0CHART01", "image/png", 48213, "chart.png"), file);
    }

    [Fact]
    public async Task ThreadReply_IsAcceptedOnlyInThreadTheBotRepliedIn()
    {
        // A reply in a thread the bot has not posted in: not mentioned, ignored.
        var reply = SlackTestHost.Payload("thread-reply.json").Replace("THREAD_TS", "1700000300.000400", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostEventAsync(reply)).StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);

        // The bot answers in that thread through its sender (to the fake Slack) ...
        await _host.Adapter.Sender.SendAsync(
            new OutboundMessage { Target = new DeliveryTarget("slack", "T0FAKE", "C0GENERAL", "1700000300.000400", null, ChatKind.Group), Text = "Deploy is green." },
            CancellationToken.None);

        // ... so the next reply in the thread counts as a reply to the bot.
        var second = reply.Replace("Ev0TH00001", "Ev0TH00002", StringComparison.Ordinal).Replace("1700000400.000500", "1700000450.000900", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostEventAsync(second)).StatusCode);
        var message = Assert.Single(_host.Pipeline.Accepted);
        Assert.True(message.RepliesToBot);
        Assert.False(message.MentionsBot);
        Assert.Equal(new ChatRef("C0GENERAL", ChatKind.Group, "1700000300.000400"), message.Chat);
        Assert.Equal("1700000300.000400", message.ReplyToId);
    }

    [Fact]
    public async Task MalformedJson_Returns400_AndEnqueuesNothing()
    {
        var response = await _host.PostEventAsync("{\"type\":\"event_callback\",");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task UnknownEnvelopeType_IsAcknowledged()
    {
        var response = await _host.PostEventAsync("{\"type\":\"app_rate_limited\",\"team_id\":\"T0FAKE\",\"minute_rate_limited\":1518467820,\"api_app_id\":\"A0FAKE\"}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_host.Pipeline.Accepted);
    }

    [Fact]
    public async Task ReadyHealthCheck_IsHealthyInEventsMode()
    {
        var health = _host.Services.GetService(typeof(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService)) as Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService;
        var report = await health!.CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, report.Entries["slack"].Status);
    }
}
