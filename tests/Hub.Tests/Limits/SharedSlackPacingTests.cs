using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Slack;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Limits;

/// <summary>Issue 16: Slack's 1 message/s per channel holds for the cluster. Eight mentions in one channel, each its
/// own thread (so its own session, spread over two nodes by the ring), arrive at the fake within the channel's burst
/// and rate, though both nodes send.</summary>
public sealed class SharedSlackPacingTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    private const string SigningSecret = "pacing-signing-secret";
    private const int Burst = 3;

    [Fact]
    public async Task EightMentionsInOneChannel_AcrossTwoNodes_ArriveWithinBurstAndRate()
    {
        await using var slack = new FakeSlackServer();
        await slack.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Channels:Slack:BotToken"] = slack.BotToken,
            ["Channels:Slack:SigningSecret"] = SigningSecret,
            ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Channels:Slack:StreamReplies"] = "false",
            ["Channels:Slack:BurstPerChannel"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Channels:Slack:MessagesPerSecondPerChannel"] = "1",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        };
        await using var a = await HubNode.StartAsync(settings);
        await using var b = await HubNode.StartAsync(settings);
        await Eventually.UntilAsync(() => new[] { a, b }.All(n => n.Services.GetRequiredService<Hub.Routing.RingService>().Ring.Nodes.Count == 2), TimeSpan.FromSeconds(15), () => "nodes did not see each other in the ring");

        for (var i = 1; i <= 8; i++)
        {
            var ts = $"1700001{i:D3}.000100";
            using var response = await PostAsync(i % 2 == 0 ? a : b, Event($"EvPace{i}", "C0BUSY", $"<@UBOT> question {i}", ts));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        List<RecordedCall> posts = [];
        await Eventually.UntilAsync(() => (posts = slack.CallsOf("chat.postMessage").Where(c => c.Channel == "C0BUSY").ToList()).Count >= 8, TimeSpan.FromSeconds(60), () => $"only {posts.Count} of 8 answers arrived");

        var at = posts.Select(p => p.At).Order().ToList();
        output.WriteLine("arrivals (ms after the first): " + string.Join(", ", at.Select(t => (t - at[0]).TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(8, posts.Select(p => p.ThreadTs).Distinct().Count());

        // Rate 1/s with burst 3: any Burst + 1 consecutive posts span at least one second (less arrival jitter).
        for (var j = Burst; j < at.Count; j++)
        {
            Assert.True(at[j] - at[j - Burst] >= TimeSpan.FromMilliseconds(900), $"posts {j - Burst}..{j} within {(at[j] - at[j - Burst]).TotalMilliseconds:F0} ms");
        }

        Assert.True(at[^1] - at[0] >= TimeSpan.FromMilliseconds(4_500), $"8 posts in {(at[^1] - at[0]).TotalMilliseconds:F0} ms");

        // Both nodes sent: the limit held across the cluster, not within one node.
        var servers = RunServers(a.Services.GetRequiredService<JobStorage>());
        output.WriteLine("runs by server: " + string.Join(", ", servers));
        Assert.Equal(2, servers.Select(s => s.Split(':')[0]).Distinct().Count());
    }

    private static List<string> RunServers(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        return [.. monitoring.SucceededJobs(0, 1000)
            .Select(j => monitoring.JobDetails(j.Key).History.First(h => h.StateName == ProcessingState.StateName).Data["ServerId"])];
    }

    private static string Event(string eventId, string channel, string text, string ts) => new JsonObject
    {
        ["token"] = "XXYYZZ",
        ["team_id"] = "T0FAKE",
        ["api_app_id"] = "A0FAKE",
        ["event"] = new JsonObject
        {
            ["type"] = "message",
            ["text"] = text,
            ["user"] = "U0ALICE",
            ["ts"] = ts,
            ["channel"] = channel,
            ["event_ts"] = ts,
            ["channel_type"] = "channel",
        },
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000100,
        ["authorizations"] = new JsonArray { new JsonObject { ["team_id"] = "T0FAKE", ["user_id"] = "UBOT", ["is_bot"] = true } },
    }.ToJsonString();

    private static async Task<HttpResponseMessage> PostAsync(HubNode hub, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/slack/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Encoding.ASCII.GetString(SlackSignatureVerifier.Sign(SigningSecret, timestamp, Encoding.UTF8.GetBytes(body))));
        return await hub.Http.SendAsync(request);
    }
}
