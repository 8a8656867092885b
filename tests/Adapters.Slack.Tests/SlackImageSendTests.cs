using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>Issue 17 outbound on Slack: a Markdown image is uploaded (files.getUploadURLExternal → upload →
/// files.completeUploadExternal) into the same thread, between the text parts, in order.</summary>
public sealed class SlackImageSendTests : IAsyncLifetime
{
    private readonly FakeSlackServer _fake = new();
    private readonly FakeImageHost _web = new();
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        await _web.StartAsync();
        _host = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?>());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _web.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static DeliveryTarget Thread => new("slack", "T0FAKE", "C0GENERAL", "1700000300.000400", "1700000300.000400", ChatKind.Group);

    [Fact]
    public async Task MarkdownImage_IsUploadedIntoTheSameThread_BetweenTheTextParts_InOrder()
    {
        var png = new byte[90_000];
        new Random(17).NextBytes(png);
        _web.Files.Add("chart", png, "image/png", "chart.png");

        await _host.Adapter.Sender.SendAsync(
            new OutboundMessage { Target = Thread, Text = $"Before the chart.\n\n![Revenue by quarter]({_web.Url("chart", "chart.png")})\n\nAfter the chart." },
            CancellationToken.None);

        var order = _fake.Calls.Select(c => c.Method).Where(m => m is "chat.postMessage" or "files.getUploadURLExternal" or "files.completeUploadExternal").ToList();
        Assert.Equal(["chat.postMessage", "files.getUploadURLExternal", "files.completeUploadExternal", "chat.postMessage"], order);
        var posts = _fake.CallsOf("chat.postMessage");
        Assert.Equal("Before the chart.", posts[0].Text);
        Assert.Equal("After the chart.", posts[1].Text);
        var shared = Assert.Single(_fake.SharedFiles);
        Assert.Equal(png, shared.Data);
        Assert.Equal("chart.png", shared.FileName);
        Assert.Equal("Revenue by quarter", shared.Title);
        Assert.Equal("Revenue by quarter", shared.AltText);
        Assert.Equal("C0GENERAL", shared.ChannelId);
        Assert.Equal("1700000300.000400", shared.ThreadTs);
    }

    [Fact]
    public async Task ImageThatCannotBeFetched_IsPostedAsALink()
    {
        await _host.Adapter.Sender.SendAsync(
            new OutboundMessage { Target = Thread, Text = $"![missing]({_web.Url("nope", "x.png")})" },
            CancellationToken.None);

        Assert.Empty(_fake.SharedFiles);
        Assert.Empty(_fake.CallsOf("files.getUploadURLExternal"));
        Assert.Equal($"<{_web.Url("nope", "x.png")}|missing>", Assert.Single(_fake.CallsOf("chat.postMessage")).Text);
    }

    [Fact]
    public async Task ImageOnAPrivateAddress_IsNotFetched_WithoutAllowPrivateMediaHosts_AndIsPostedAsALink()
    {
        await using var guarded = await SlackTestHost.StartAsync(_fake, new Dictionary<string, string?> { ["AllowPrivateMediaHosts"] = "false" });
        _web.Files.Add("inner", new byte[1_000], "image/png", "inner.png");
        var url = _web.Url("inner", "inner.png"); // 127.0.0.1: a model-written URL must not reach the hub's own network

        await guarded.Adapter.Sender.SendAsync(new OutboundMessage { Target = Thread, Text = $"![inner]({url})" }, CancellationToken.None);

        Assert.Empty(_fake.SharedFiles);
        Assert.Empty(_fake.CallsOf("files.getUploadURLExternal"));
        Assert.Equal($"<{url}|inner>", Assert.Single(_fake.CallsOf("chat.postMessage")).Text);
    }
}
