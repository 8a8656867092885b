using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.Slack;

public sealed class SlackSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["MaxTextLength"] = "200" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private (FakeTimeProvider Time, ObservedClock Clock) FakeClock()
    {
        var time = new FakeTimeProvider();
        var clock = new ObservedClock(time);
        _fake.Clock = clock;
        return (time, clock);
    }

    private static DeliveryTarget Thread => new("slack", "T0FAKE", "C0GENERAL", "1700000300.000400", "1700000300.000400", ChatKind.Group);

    [Fact]
    public async Task Send_PostsMrkdwnIntoTheThread()
    {
        var result = await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "**Done**: see [logs](https://ci.test/1)" }, CancellationToken.None);

        var post = Assert.Single(_fake.CallsOf("chat.postMessage"));
        Assert.Equal("C0GENERAL", post.Channel);
        Assert.Equal("1700000300.000400", post.ThreadTs);
        Assert.Equal("*Done*: see <https://ci.test/1|logs>", post.Text);
        Assert.Equal([post.Ts!], result.PlatformMessageIds);
    }

    [Fact]
    public async Task DirectMessage_WithoutThread_PostsToTheTimeline()
    {
        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = new DeliveryTarget("slack", "T0FAKE", "D0DM00001", null, "1700000100.000200", ChatKind.Direct), Text = "hi", Format = TextFormat.Plain }, CancellationToken.None);
        var post = Assert.Single(_fake.CallsOf("chat.postMessage"));
        Assert.Null(post.ThreadTs);
        Assert.Equal("hi", post.Text);
    }

    [Fact]
    public async Task LongAnswer_IsSplitBelowTheLimit_InOrder()
    {
        var paragraphs = Enumerable.Range(1, 8).Select(i => $"Paragraph {i}: " + string.Join(' ', Enumerable.Repeat("word", 10))).ToArray();
        var result = await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = string.Join("\n\n", paragraphs) }, CancellationToken.None);

        var posts = _fake.CallsOf("chat.postMessage");
        Assert.True(posts.Count > 1);
        Assert.All(posts, p => Assert.True(p.Text!.Length <= 200));
        Assert.All(posts, p => Assert.Equal("1700000300.000400", p.ThreadTs));
        var joined = string.Join("\n\n", posts.Select(p => p.Text));
        Assert.Equal(string.Join("\n\n", paragraphs), joined);
        Assert.Equal(posts.Select(p => p.Ts!), result.PlatformMessageIds);
    }

    [Fact]
    public async Task LongCodeBlock_IsClosedAndReopenedAcrossChunks()
    {
        var code = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line_{i} = {i} * 2"));
        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "```python\n" + code + "\n```" }, CancellationToken.None);
        var posts = _fake.CallsOf("chat.postMessage");
        Assert.True(posts.Count > 1);
        Assert.All(posts, p =>
        {
            Assert.True(p.Text!.Length <= 200);
            Assert.StartsWith("```", p.Text, StringComparison.Ordinal);
            Assert.EndsWith("```", p.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RateLimited429_WaitsRetryAfter_ThenDeliversExactlyOnce()
    {
        var (time, clock) = FakeClock();
        await using var host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["MaxTextLength"] = "200" }, s => s.AddSingleton<TimeProvider>(clock));
        _fake.EnqueueRateLimit("chat.postMessage", 1);
        var started = time.GetUtcNow();

        var send = host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "after the limit" }, CancellationToken.None);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(1)); // Retry-After: 1
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(_fake.CallsOf("chat.postMessage"));
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await send.WaitAsync(Wait);

        Assert.Equal(1, _fake.RateLimitedCount);
        var post = Assert.Single(_fake.CallsOf("chat.postMessage"));
        Assert.Equal("after the limit", post.Text);
        Assert.Single(result.PlatformMessageIds);
        Assert.Equal(TimeSpan.FromSeconds(1), post.At - started);
    }

    [Fact]
    public async Task RetryAfterAboveTheCap_IsNotWaitedOut_TheCallFailsAtOnce_WithTheRetryAfter()
    {
        var (time, clock) = FakeClock();
        await using var host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["MaxRetryAfter"] = "00:00:05" }, s => s.AddSingleton<TimeProvider>(clock));
        _fake.EnqueueRateLimit("chat.postMessage", 3600);

        // On a clock that stands still, a send that waited would never end: the 10-s deadline only catches that failure.
        var error = await Assert.ThrowsAsync<SlackApiException>(() => host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "x" }, CancellationToken.None).WaitAsync(Wait));

        Assert.Equal("ratelimited", error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(3600), error.RetryAfter);
        Assert.Equal(1, _fake.RateLimitedCount);
        Assert.Empty(_fake.CallsOf("chat.postMessage"));
        Assert.Empty(clock.Armed); // nothing was waited

        // The 429 blocked the channel's shared bucket: the next send there fails at once too, without calling Slack.
        var again = await Assert.ThrowsAsync<SlackApiException>(() => host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "x2" }, CancellationToken.None).WaitAsync(Wait));
        Assert.Equal("ratelimited", again.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(3600), again.RetryAfter); // the fake clock did not move
        Assert.Equal(1, _fake.RateLimitedCount);
        Assert.Empty(clock.Armed);

        // Within the cap it is still waited out and delivered (another channel).
        _fake.EnqueueRateLimit("chat.postMessage", 1);
        var send = host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread with { ChatId = "C0OTHER" }, Text = "y" }, CancellationToken.None);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        await send.WaitAsync(Wait);
        Assert.Equal("y", Assert.Single(_fake.CallsOf("chat.postMessage")).Text);
    }

    [Fact]
    public async Task OkFalse_ThrowsSlackApiException_WithErrorCode_AndIsNotRetried()
    {
        _fake.EnqueueError("chat.postMessage", "channel_not_found");
        var error = await Assert.ThrowsAsync<SlackApiException>(() => _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "x" }, CancellationToken.None));
        Assert.Equal("channel_not_found", error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Equal("chat.postMessage", error.Method);
        Assert.DoesNotContain(_fake.BotToken, error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.CallsOf("chat.postMessage"));

        // The next send goes through: the error was not retried into it.
        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = "y" }, CancellationToken.None);
        Assert.Equal("y", Assert.Single(_fake.CallsOf("chat.postMessage")).Text);
    }

    [Fact]
    public async Task EditMessageId_UpdatesThePlaceholder_AndPostsOverflowAfterIt()
    {
        var sender = _host.Adapter.Sender;
        Assert.True(sender.Capabilities.SupportsEdit);
        var placeholder = await sender.SendAsync(new OutboundMessage { Target = Thread, Text = "…", Format = TextFormat.Plain }, CancellationToken.None);
        var ts = Assert.Single(placeholder.PlatformMessageIds);

        var longer = string.Join("\n\n", Enumerable.Range(1, 6).Select(i => $"Part {i} " + new string('x', 60)));
        var result = await sender.SendAsync(new OutboundMessage { Target = Thread, Text = longer, EditMessageId = ts }, CancellationToken.None);

        var update = Assert.Single(_fake.CallsOf("chat.update"));
        Assert.Equal(ts, update.Ts);
        Assert.StartsWith("Part 1 ", update.Text, StringComparison.Ordinal);
        var posts = _fake.CallsOf("chat.postMessage");
        Assert.True(posts.Count >= 2);
        Assert.Equal(ts, result.PlatformMessageIds[0]);
        Assert.Equal(posts.Skip(1).Select(p => p.Ts!), result.PlatformMessageIds.Skip(1));
    }

    [Fact]
    public void Options_ExposeStreamRepliesAndPolicy()
    {
        Assert.False(_host.Adapter.SlackSender.StreamReplies);
        Assert.True(_host.Adapter.Policy.RequireMention);
        Assert.Equal("slack", _host.Adapter.Channel);
        Assert.Equal(200, _host.Adapter.Sender.Capabilities.MaxTextLength);
    }
}
