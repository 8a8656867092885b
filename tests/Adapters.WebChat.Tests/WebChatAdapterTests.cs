using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.WebChat;

namespace OpenClaw.Channels.Tests;

/// <summary>The adapter without the hub: the normalized message, pipeline failures, the event stream's keep-alive.</summary>
public class WebChatAdapterTests
{
    [Fact]
    public async Task PostedMessage_IsNormalized_AsADirectChatOfTheBrowserSession()
    {
        var pipeline = new RecordingInboundPipeline();
        await using var host = await WebChatTestHost.StartAsync(pipeline);
        using var browser = host.NewBrowser();
        (await browser.PostAsJsonAsync("/webchat/api/messages", new { id = "c-1", text = "  hello  " })).Dispose();
        (await browser.PostAsJsonAsync("/webchat/api/messages", new { id = "c-2", text = "/reset now" })).Dispose();
        using var other = host.NewBrowser();
        (await other.PostAsJsonAsync("/webchat/api/messages", new { id = "c-1", text = "hello" })).Dispose();

        var messages = pipeline.Accepted.ToList();
        Assert.Equal(3, messages.Count);
        var first = messages[0];
        Assert.Equal("webchat", first.Channel);
        Assert.Equal("web", first.AccountId);
        Assert.Equal(ChatKind.Direct, first.Chat.Kind);
        Assert.Matches("^[0-9a-f]{32}$", first.Chat.Id);
        Assert.Equal(first.Chat.Id + ":c-1", first.PlatformMessageId);
        Assert.Equal("hello", first.Text);
        Assert.Equal(MessageType.Text, first.Type);
        Assert.Equal(host.Time.GetUtcNow(), first.Timestamp);
        Assert.Equal("agent:main:webchat:direct:" + first.Chat.Id, SessionKey.For(first).Value);

        Assert.Equal(first.Chat.Id, messages[1].Chat.Id);
        Assert.Equal(MessageType.Command, messages[1].Type);
        Assert.Equal("reset", messages[1].Command?.Name);

        Assert.NotEqual(first.Chat.Id, messages[2].Chat.Id);
        Assert.NotEqual(first.IdempotencyKey, messages[2].IdempotencyKey);
    }

    [Fact]
    public async Task PipelineFailure_Returns503_SoThePageRetriesWithTheSameId()
    {
        await using var host = await WebChatTestHost.StartAsync(new FailingPipeline());
        using var browser = host.NewBrowser();
        using var response = await browser.PostAsJsonAsync("/webchat/api/messages", new { id = "x", text = "hi" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task IdleEventStream_SendsAKeepAlive_AfterTheInterval()
    {
        await using var host = await WebChatTestHost.StartAsync(new RecordingInboundPipeline(), new Dictionary<string, string?>
        {
            ["Channels:WebChat:KeepAliveInterval"] = "00:00:20",
        });
        using var browser = host.NewBrowser();
        using var response = await browser.GetAsync("/webchat/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line && line != "data: {}")
        {
            lines.Add(line);
        }

        Assert.Contains("event: ready", lines);

        // Advance a second at a time until the comment line comes; it must not come before 20 s of idle time.
        var advanced = TimeSpan.Zero;
        var next = reader.ReadLineAsync();
        string? keepAlive = null;
        await Eventually.UntilAsync(
            async () =>
            {
                if (!next.IsCompleted)
                {
                    host.Time.Advance(TimeSpan.FromSeconds(1));
                    advanced += TimeSpan.FromSeconds(1);
                    return false;
                }

                var line = await next;
                if (line is { Length: > 0 })
                {
                    keepAlive = line;
                    return true;
                }

                next = reader.ReadLineAsync();
                return false;
            },
            TimeSpan.FromSeconds(20),
            () => $"no keep-alive after advancing {advanced}");

        Assert.Equal(": keep-alive", keepAlive);
        Assert.True(advanced >= TimeSpan.FromSeconds(20), $"keep-alive after only {advanced}");
    }

    [Fact]
    public async Task Sender_PublishesEditsUnderOneId_InOrder_ToThatBrowserOnly()
    {
        var pipeline = new RecordingInboundPipeline();
        await using var host = await WebChatTestHost.StartAsync(pipeline);
        using var browser = host.NewBrowser();
        using var stranger = host.NewBrowser();
        await using var events = await EventStreamReader.OpenAsync(browser);
        await using var strangerEvents = await EventStreamReader.OpenAsync(stranger);
        (await browser.PostAsJsonAsync("/webchat/api/messages", new { id = "q", text = "question" })).Dispose();
        var inbound = Assert.Single(pipeline.Accepted);

        var sender = host.Services.GetRequiredService<WebChatSender>();
        Assert.True(sender.Capabilities is { SupportsEdit: true, PrefersStreaming: true });
        var placeholder = await sender.SendAsync(new OutboundMessage { Target = inbound.ReplyTarget, Text = "<…>", Format = TextFormat.Plain }, CancellationToken.None);
        var id = Assert.Single(placeholder.PlatformMessageIds);
        await sender.SendAsync(new OutboundMessage { Target = inbound.ReplyTarget, Text = "The **ans", EditMessageId = id }, CancellationToken.None);
        var final = await sender.SendAsync(new OutboundMessage { Target = inbound.ReplyTarget, Text = "The **answer**.", EditMessageId = id, InReplyToMessageId = inbound.Id }, CancellationToken.None);
        Assert.Equal([id], final.PlatformMessageIds);

        await Eventually.UntilAsync(() => events.Messages.Count == 3, TimeSpan.FromSeconds(10), () => $"{events.Messages.Count} events");
        var got = events.Messages;
        Assert.All(got, m => Assert.Equal(id, m.GetProperty("id").GetString()));
        Assert.Equal([false, false, true], got.Select(m => m.GetProperty("final").GetBoolean()));
        Assert.Equal("<p>&lt;…&gt;</p>", got[0].GetProperty("html").GetString());
        Assert.Contains("<strong>answer</strong>", got[2].GetProperty("html").GetString(), StringComparison.Ordinal);

        // Positive marker for the stranger: its own event arrives, and it is the only one it saw.
        (await stranger.PostAsJsonAsync("/webchat/api/messages", new { id = "s", text = "mine" })).Dispose();
        var strangerInbound = pipeline.Accepted.Last();
        await sender.SendAsync(new OutboundMessage { Target = strangerInbound.ReplyTarget, Text = "for the stranger" }, CancellationToken.None);
        await Eventually.UntilAsync(() => strangerEvents.Messages.Count == 1, TimeSpan.FromSeconds(10), () => "stranger got nothing");
        Assert.Contains("for the stranger", strangerEvents.Messages[0].GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, events.Messages.Count);
    }

    private sealed class FailingPipeline : IInboundPipeline
    {
        public ValueTask<InboundResult> AcceptAsync(ChannelMessage message, CancellationToken cancellationToken)
            => throw new InvalidOperationException("store down");
    }
}
