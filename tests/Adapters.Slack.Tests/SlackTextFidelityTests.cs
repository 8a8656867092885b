using System.Net;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>What a Slack user types reaches the model as they see it, and what the model answers is shown as written
/// (docs.slack.dev/messaging/formatting-message-text).</summary>
public sealed class SlackTextFidelityTests : IAsyncLifetime
{
    private readonly FakeSlackServer _fake = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake.Users["U0BOB"] = new FakeSlackUser("bob", "Robert Smith", "Bob S");
        await _fake.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["MaxTextLength"] = "120", ["MessagesPerSecondPerChannel"] = "100", ["BurstPerChannel"] = "100" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static DeliveryTarget Dm => new("slack", "T0FAKE", "D0DM00001", null, null, ChatKind.Direct);

    [Fact]
    public async Task EscapedInbound_ReachesTheModelUnescaped()
    {
        var response = await _host.PostEventAsync(SlackTestHost.Payload("dm-escaped.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3 < 5 && 5 > 2", Assert.Single(_host.Pipeline.Accepted).Text);
    }

    [Fact]
    public async Task MentionsChannelsAndLinks_AreRendered_UsersInfoCachedPerUser()
    {
        var response = await _host.PostEventAsync(SlackTestHost.Payload("dm-mentions.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            "@Bob S see #general, @here and the docs (https://example.com/a?b=1&c=2) or https://example.com; ask @Bob S or @U0NOBODY at bob@example.com",
            Assert.Single(_host.Pipeline.Accepted).Text);
        // Bob mentioned twice, looked up once; the unknown user once (and remembered as unknown).
        var lookups = _fake.CallsOf("users.info");
        Assert.Equal(2, lookups.Count);

        await _host.PostEventAsync(SlackTestHost.Payload("dm-mentions.json").Replace("Ev0MEN0001", "Ev0MEN0002", StringComparison.Ordinal).Replace("1700000600.000100", "1700000601.000100", StringComparison.Ordinal));
        Assert.Equal(2, _host.Pipeline.Accepted.Count);
        Assert.Equal(2, _fake.CallsOf("users.info").Count);
    }

    [Fact]
    public async Task SlowUsersInfo_DoesNotHoldTheAck_TheMentionKeepsItsId()
    {
        _fake.UsersInfoDelayMs = 5000;
        var body = SlackTestHost.Payload("dm-mentions.json").Replace("U0BOB", "U0SLOW1", StringComparison.Ordinal).Replace("U0NOBODY", "U0SLOW2", StringComparison.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var response = await _host.PostEventAsync(body);

        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"acked after {clock.Elapsed} (Slack allows 3 s)");
        Assert.StartsWith("@U0SLOW1 see #general", Assert.Single(_host.Pipeline.Accepted).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainAnswer_WithAmpersandsAndAngles_IsShownAsWritten_EscapedOnce()
    {
        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = "Yes: 3 < 5 && 5 > 2", Format = TextFormat.Plain }, CancellationToken.None);
        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = "In **Markdown**: a < b & c > d, see [R&D <docs>](https://x.test/?a=1&b=2)" }, CancellationToken.None);

        var posts = _fake.CallsOf("chat.postMessage");
        Assert.Equal("Yes: 3 &lt; 5 &amp;&amp; 5 &gt; 2", posts[0].Text);
        Assert.Equal("Yes: 3 < 5 && 5 > 2", FakeSlackServer.Displayed(posts[0].Text!));
        Assert.Equal("In *Markdown*: a < b & c > d, see R&D <docs>", FakeSlackServer.Displayed(posts[1].Text!));
        Assert.Contains("<https://x.test/?a=1&amp;b=2|R&amp;D &lt;docs&gt;>", posts[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongAnswer_IsNeverSplitInsideAnEntityOrALink()
    {
        // Entities without spaces force hard cuts; a link whose label has spaces straddles word boundaries.
        var ampersands = string.Concat(Enumerable.Repeat("R&D<>", 60));
        var links = string.Join(' ', Enumerable.Range(1, 12).Select(i => $"item {i} [the documentation page number {i}](https://docs.test/{i})"));

        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = ampersands, Format = TextFormat.Plain }, CancellationToken.None);
        var plainPosts = _fake.CallsOf("chat.postMessage").Select(p => p.Text!).ToList();
        await _host.Adapter.Sender.SendAsync(new OutboundMessage { Target = Dm, Text = links }, CancellationToken.None);
        var linkPosts = _fake.CallsOf("chat.postMessage").Skip(plainPosts.Count).Select(p => p.Text!).ToList();

        Assert.True(plainPosts.Count > 2);
        Assert.All(plainPosts.Concat(linkPosts), t => Assert.InRange(t.Length, 1, 120));
        Assert.All(plainPosts.Concat(linkPosts), t => Assert.DoesNotMatch("&(?!(amp|lt|gt);)", t));
        Assert.Equal(ampersands, string.Concat(plainPosts.Select(FakeSlackServer.Displayed)));
        Assert.True(linkPosts.Count > 2);
        Assert.All(linkPosts, t => Assert.Equal(t.Count(c => c == '<'), t.Count(c => c == '>')));
        Assert.Equal(12, linkPosts.Sum(t => System.Text.RegularExpressions.Regex.Matches(t, "<https://docs.test/\\d+\\|the documentation page number \\d+>").Count));
    }

    [Fact]
    public void Unescape_DecodesOnce()
    {
        Assert.Equal("a &lt; b", SlackMrkdwnRenderer.Unescape("a &amp;lt; b"));
        Assert.Equal("x < y", SlackMrkdwnRenderer.Unescape(SlackMrkdwnRenderer.Instance.Escape("x < y")));
    }
}
