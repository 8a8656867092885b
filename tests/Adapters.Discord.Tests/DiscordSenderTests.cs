using System.Diagnostics;
using OpenClaw.Channels.Discord;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

public sealed class DiscordSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeDiscordServer _fake = new();
    private DiscordTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        var settings = DiscordTestHost.DefaultSettings(_fake);
        settings["EnableGateway"] = "false";
        settings["MaxRetryAfterMs"] = "2000";
        _host = await DiscordTestHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static DeliveryTarget Dm => new("discord", "1100000000000000001", "1200000000000000010");

    [Fact]
    public async Task LongAnswer_3500Characters_IsPostedAsTwoMessagesInOrder()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 35).Select(i => $"Paragraph {i:D2} " + new string('y', 86)));
        Assert.InRange(text.Length, 3400, 3600);

        var result = await _host.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = text }, CancellationToken.None);

        var posts = _fake.Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(2, result.PlatformMessageIds.Count);
        var contents = posts.Select(p => p.Body!["content"]!.GetValue<string>()).ToList();
        Assert.All(contents, c => Assert.InRange(c.Length, 1, 2000));
        Assert.StartsWith("Paragraph 00", contents[0], StringComparison.Ordinal);
        Assert.StartsWith("Paragraph ", contents[1], StringComparison.Ordinal);
        Assert.Equal(text, string.Join("\n\n", contents));
    }

    [Fact]
    public async Task RetriedPost_CarriesTheSameNonce_WithEnforceNonce_DerivedFromTheHubMessageId()
    {
        _fake.Script429(0.1);

        await _host.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = "once", InReplyToMessageId = "01JHUBMESSAGEID00000000000" }, CancellationToken.None);
        await _host.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = "once", InReplyToMessageId = "01JHUBMESSAGEID00000000000" }, CancellationToken.None);
        await _host.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = "other", InReplyToMessageId = "01JHUBMESSAGEID00000000001" }, CancellationToken.None);

        var posts = _fake.Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, posts.Count); // the 429, its retry, the second send of the same answer, another answer
        var nonces = posts.Select(p => p.Body!["nonce"]!.GetValue<string>()).ToList();
        Assert.All(posts, p => Assert.True(p.Body!["enforce_nonce"]!.GetValue<bool>()));
        Assert.All(nonces, n => Assert.InRange(n.Length, 1, 25));
        Assert.Single(nonces.Take(3).Distinct());
        Assert.NotEqual(nonces[0], nonces[3]);
    }

    [Fact]
    public async Task RateLimited429_IsWaitedOut_AndMessageDeliveredOnce()
    {
        _fake.Script429(0.3);
        var stopwatch = Stopwatch.StartNew();

        var result = await _host.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = "hello once" }, CancellationToken.None);

        stopwatch.Stop();
        Assert.Single(result.PlatformMessageIds);
        var posts = _fake.Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, posts.Count); // the 429 and the delivery; nothing more
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(280), $"retry_after was not waited out ({stopwatch.Elapsed}).");
    }

    [Fact]
    public async Task ExhaustedBucket_DelaysTheNextCallUntilResetAfter_WithoutA429()
    {
        _fake.ScriptBucketExhausted(0.5);
        var text = string.Join("\n\n", Enumerable.Range(0, 35).Select(i => $"Paragraph {i:D2} " + new string('z', 86)));

        await _host.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = text }, CancellationToken.None);

        var times = _fake.Calls.Where(c => c.Method == "POST").Select(c => c.ReceivedAt).ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(450), $"Second call came {(times[1] - times[0]).TotalMilliseconds} ms after the first.");
    }

    [Fact]
    public async Task RetryAfterLongerThanAllowed_ThrowsTransientDiscordApiException_WithoutRetrying()
    {
        _fake.Script429(30);

        var ex = await Assert.ThrowsAsync<DiscordApiException>(() =>
            _host.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = "hello" }, CancellationToken.None));

        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Single(_fake.Calls, c => c.Method == "POST");
    }

    [Fact]
    public async Task GuildReply_QuotesTheMessage_AndPingsNobody()
    {
        var target = new DeliveryTarget("discord", "1100000000000000001", "1200000000000000020", ReplyToId: "1310000000000000202", ChatKind: ChatKind.Group);

        await _host.Sender.SendAsync(new OutboundMessage { Target = target, Text = "Here is the summary, @everyone." }, CancellationToken.None);

        var post = await _fake.NextCallAsync(c => c.Method == "POST", Wait);
        Assert.Equal("/api/v10/channels/1200000000000000020/messages", post.Path);
        Assert.Equal("1310000000000000202", post.Body!["message_reference"]!["message_id"]!.GetValue<string>());
        Assert.Empty(post.Body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.False(post.Body["allowed_mentions"]!["replied_user"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ThreadTarget_PostsIntoTheThreadChannel()
    {
        var target = new DeliveryTarget("discord", "1100000000000000001", "1200000000000000030", ThreadId: "1200000000000000030", ChatKind: ChatKind.Group);

        await _host.Sender.SendAsync(new OutboundMessage { Target = target, Text = "in thread" }, CancellationToken.None);

        var post = await _fake.NextCallAsync(c => c.Method == "POST", Wait);
        Assert.Equal("/api/v10/channels/1200000000000000030/messages", post.Path);
    }

    [Fact]
    public async Task Typing_PostsTypingRoute_WithBotAuthorization()
    {
        await _host.Sender.SendTypingAsync(Dm, CancellationToken.None);

        var call = await _fake.NextCallAsync(c => c.Path.EndsWith("/typing", StringComparison.Ordinal), Wait);
        Assert.Equal("/api/v10/channels/1200000000000000010/typing", call.Path);
        Assert.Equal("Bot " + _fake.BotToken, call.Authorization);
        Assert.Equal(8000, _host.Sender.Capabilities.TypingIntervalMs);
        Assert.Equal(2000, _host.Sender.Capabilities.MaxTextLength);
    }
}
