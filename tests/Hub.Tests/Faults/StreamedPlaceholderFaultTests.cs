using System.Net;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>Issue 12, "Delivered once": edits of a streamed placeholder are idempotent. A Slack hub streams its answer
/// (<c>Channels:Slack:StreamReplies</c>: a placeholder posted with <c>chat.postMessage</c>, then <c>chat.update</c>);
/// the hub is SIGKILLed mid-stream, or Redis right after the placeholder was posted. Either way the user sees one
/// message that ends with the whole answer: no second answer, no orphaned placeholder or half-answer.</summary>
[TypicalDuration(40)]
public sealed class StreamedPlaceholderFaultTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    private const string Question = "tell me one two three four five six";
    private const string Answer = "answer: " + Question;

    [Fact]
    public async Task HubSigkilledMidStream_TheTakeoverRunFinishesTheRecordedPlaceholder_OneMessageOneAnswer()
    {
        // Redis is not killed here, so the shared test server with this test's own key prefix serves.
        await using var slack = new FakeSlackServer();
        await slack.StartAsync();
        await using var model = new FakeOpenAiServer { StreamChunkDelayMs = 1000 }; // ~9 s of streaming: the kill lands mid-answer
        await model.StartAsync();
        var prefix = TestRedis.NewPrefix();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = prefix,
            ["Hub:StaleSessionMs"] = "1000",
            ["Hub:NodeHeartbeatMs"] = "500",
            ["Hub:NodeTtlMs"] = "2000",
            ["Hub:LockLeaseMs"] = "2000",
            ["Channels:Slack:BotToken"] = slack.BotToken,
            ["Channels:Slack:SigningSecret"] = SlackChatTests.SigningSecret,
            ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Channels:Slack:StreamReplies"] = "true",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-test-key",
        };

        await using (var a = await HubProcess.StartAsync("stream-a", settings))
        {
            using var post = SlackChatTests.SignedEventRequest(SlackChatTests.Event("EvKill1", "D0KILL", "im", Question, "1700000900.000100"));
            using var accepted = await a.Http.SendAsync(post);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            await Eventually.UntilAsync(() => slack.CallsOf("chat.update").Count >= 1, TimeSpan.FromSeconds(30), () => "a partial edit of the placeholder");
            await a.KillAsync();
        }

        var before = slack.CallsOf("chat.update");
        Assert.DoesNotContain(before, u => u.Text == Answer); // the user saw half an answer when the hub died
        var placeholder = Assert.Single(slack.CallsOf("chat.postMessage"));
        Assert.Equal("…", placeholder.Text);
        model.StreamChunkDelayMs = 0;

        await using var b = await LoggedHubNode.StartAsync("stream-b", settings); // the takeover: in process, it does not die
        await Eventually.UntilAsync(() => slack.CallsOf("chat.update").Any(u => u.Text == Answer), TimeSpan.FromSeconds(30), () => "the whole answer on the placeholder");
        await Eventually.UntilAsync(async () => await redis.Multiplexer.GetDatabase().SortedSetLengthAsync(prefix + "pending") == 0, TimeSpan.FromSeconds(20));

        var updates = slack.CallsOf("chat.update");
        output.WriteLine($"{updates.Count} chat.update calls ({before.Count} before the kill), {model.RequestCount} model calls, rescues {b.CountLines("Rescued stale session")}");
        Assert.Single(slack.CallsOf("chat.postMessage")); // no second answer, no second placeholder
        Assert.All(updates, u => Assert.Equal(placeholder.Ts, u.Ts)); // every edit, before and after the kill, on the one placeholder
        Assert.Equal(Answer, updates[^1].Text); // and it ends showing the whole answer
        Assert.Equal(2, model.RequestCount); // the turn really ran again on the second hub
    }

    [Fact]
    public async Task RedisSigkilledRightAfterThePlaceholderWasPosted_TheRunRecordsItWhenRedisIsBack_AndFinishesThatPlaceholder()
    {
        await using var own = await RedisServerProcess.StartAsync();
        await using var slack = new FakeSlackServer();
        await slack.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        var outage = Task.CompletedTask;
        var killed = 0;
        slack.BeforePostMessageResponse = _ =>
        {
            if (Interlocked.Exchange(ref killed, 1) == 0)
            {
                // Longer than StackExchange.Redis's 5-s async timeout, so the placeholder's record write fails.
                own.Kill();
                outage = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(7));
                    await own.RestartAsync();
                });
            }

            return Task.CompletedTask;
        };
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = own.ConnectionString,
            ["Hub:KeyPrefix"] = "placeholder:",
            ["Channels:Slack:BotToken"] = slack.BotToken,
            ["Channels:Slack:SigningSecret"] = SlackChatTests.SigningSecret,
            ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Channels:Slack:StreamReplies"] = "true",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
        });

        using var post = SlackChatTests.SignedEventRequest(SlackChatTests.Event("EvBlip1", "D0BLIP", "im", Question, "1700000950.000100"));
        using var accepted = await hub.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await Eventually.UntilAsync(() => slack.CallsOf("chat.update").Any(u => u.Text == Answer), TimeSpan.FromSeconds(60), () => "the whole answer on the placeholder");
        await outage;
        await Eventually.UntilAsync(async () => await own.Client.GetDatabase().SortedSetLengthAsync("placeholder:pending") == 0, TimeSpan.FromSeconds(30));

        var placeholder = Assert.Single(slack.CallsOf("chat.postMessage")); // no second placeholder, no second answer
        Assert.Equal("…", placeholder.Text);
        Assert.All(slack.CallsOf("chat.update"), u => Assert.Equal(placeholder.Ts, u.Ts));
        Assert.Equal(Answer, slack.CallsOf("chat.update")[^1].Text);
        Assert.Equal(1, killed);
    }
}
