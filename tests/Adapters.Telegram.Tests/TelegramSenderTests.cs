using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

public sealed class TelegramSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeTelegramServer _fake = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _services = TelegramTestHost.BuildServices(_fake);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private TelegramSender Sender => _services.GetRequiredService<TelegramSender>();

    /// <summary>A fake clock for the sender and the fake's request stamps; the test advances <c>Time</c>.</summary>
    private (FakeTimeProvider Time, ObservedClock Clock) FakeClock()
    {
        var time = new FakeTimeProvider();
        var clock = new ObservedClock(time);
        _fake.Clock = clock;
        return (time, clock);
    }

    private static OutboundMessage To(string chatId, string text, ChatKind kind = ChatKind.Direct, string? thread = null, string? replyTo = null)
        => new() { Target = new DeliveryTarget("telegram", "123456789", chatId, thread, replyTo, kind), Text = text };

    [Fact]
    public async Task Adapter_ExposesSenderAndPolicyFromOptions()
    {
        var adapter = _services.GetServices<IChannelAdapter>().Single();
        Assert.Equal("telegram", adapter.Channel);
        Assert.True(adapter.Policy.RequireMention);
        Assert.Same(Sender, adapter.Sender);
        Assert.Equal(4096, adapter.Sender.Capabilities.MaxTextLength);
        Assert.True(adapter.Sender.Capabilities.SupportsEdit && adapter.Sender.Capabilities.SupportsTyping && adapter.Sender.Capabilities.SupportsThreads);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Markdown_IsSentAsTelegramHtml()
    {
        var result = await Sender.SendAsync(To("1001", "**Bold** and `a < b` and [docs](https://core.telegram.org/bots/api)"), CancellationToken.None);
        var sent = Assert.Single(_fake.SentMessages);
        Assert.Equal("HTML", sent.ParseMode, ignoreCase: true);
        Assert.Equal("<b>Bold</b> and <code>a &lt; b</code> and <a href=\"https://core.telegram.org/bots/api\">docs</a>", sent.Text);
        Assert.Equal("Bold and a < b and docs", sent.PlainText);
        Assert.Equal([sent.MessageId.ToString(CultureInfo.InvariantCulture)], result.PlatformMessageIds);
    }

    [Fact]
    public async Task LongAnswer_10000Chars_IsSplitInOrder_EachMessageWithin4096()
    {
        var sb = new StringBuilder();
        var n = 0;
        while (sb.Length < 10_000)
        {
            sb.Append("**w").Append(n++).Append("** & <x> ");
            if (n % 40 == 0)
            {
                sb.Append("\n\n");
            }
        }

        var text = sb.ToString();
        var result = await Sender.SendAsync(To("1001", text), CancellationToken.None);
        var sent = _fake.SentMessages.ToList();
        // About 6,500 characters after entity parsing (Telegram's count): two messages. Counting the HTML (the old
        // splitter's bug) made three.
        Assert.True(sent.Count >= 2, $"expected several messages, got {sent.Count}");
        Assert.Equal(sent.Count, result.PlatformMessageIds.Count);
        Assert.All(sent, m => Assert.True(m.PlainText.Length <= 4096));
        Assert.All(sent, m => Assert.Equal("HTML", m.ParseMode, ignoreCase: true)); // no chunk fell back to plain text
        // Split on line breaks too: a paragraph's trailing space before "\n\n" is not part of the rendered text.
        var words = string.Join(' ', sent.Select(m => m.PlainText)).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(w => w.StartsWith('w')).ToList();
        Assert.Equal(Enumerable.Range(0, n).Select(i => "w" + i), words);
    }

    [Fact]
    public async Task LongCodeBlock_IsSplit_WithFencesReopened()
    {
        var code = string.Join('\n', Enumerable.Range(0, 600).Select(i => $"let value{i} = compute({i}) < limit;"));
        await Sender.SendAsync(To("1001", "Here:\n```rust\n" + code + "\n```\nDone."), CancellationToken.None);
        var sent = _fake.SentMessages.ToList();
        Assert.True(sent.Count >= 2);
        Assert.All(sent.Take(sent.Count - 1), m => Assert.Contains("<pre><code class=\"language-rust\">", m.Text, StringComparison.Ordinal));
        Assert.All(sent, m => Assert.Equal("HTML", m.ParseMode, ignoreCase: true));
    }

    [Fact]
    public async Task RejectedEntities_AreResentAsPlainText()
    {
        _fake.FailNext("sendMessage", 400, "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 3");
        await Sender.SendAsync(To("1001", "**hello** <foo>"), CancellationToken.None);
        var sent = Assert.Single(_fake.SentMessages);
        Assert.Null(sent.ParseMode);
        Assert.Equal("**hello** <foo>", sent.Text);
        Assert.Equal(2, _fake.CountRequests("sendMessage"));
    }

    [Fact]
    public async Task RateLimited_RetryAfter1_IsDeliveredExactlyOnceAfterWaiting()
    {
        var (time, clock) = FakeClock();
        await using var services = TelegramTestHost.BuildServices(_fake, time: clock);
        _fake.RateLimitNext("sendMessage", retryAfterSeconds: 1);

        var send = services.GetRequiredService<TelegramSender>().SendAsync(To("1001", "hi"), CancellationToken.None);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(1)); // the retry waits parameters.retry_after
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, _fake.CountRequests("sendMessage"));
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await send.WaitAsync(Wait);

        Assert.Single(_fake.SentMessages);
        var calls = _fake.Requests.Where(r => r.Method == "sendMessage").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), calls[1].ReceivedAt - calls[0].ReceivedAt); // the retry waited retry_after
    }

    [Fact]
    public async Task RateLimited_BeyondRetries_ThrowsTelegramDeliveryException_WithRetryAfter()
    {
        var (time, clock) = FakeClock();
        await using var services = TelegramTestHost.BuildServices(_fake, s => s["Channels:Telegram:SendMaxRetries"] = "1", clock);
        _fake.RateLimitNext("sendMessage", retryAfterSeconds: 1, times: 5);

        var send = services.GetRequiredService<TelegramSender>().SendAsync(To("1001", "hi"), CancellationToken.None);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => send.WaitAsync(Wait));

        Assert.Equal("429", ex.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.Equal(2, _fake.CountRequests("sendMessage"));
        Assert.Empty(_fake.SentMessages);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Armed); // one retry wait, none after the last attempt
    }

    [Fact]
    public async Task Forbidden_ThrowsNonTransientDeliveryException()
    {
        _fake.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user");
        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => Sender.SendAsync(To("1001", "hi"), CancellationToken.None));
        Assert.Equal("403", ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.IsAssignableFrom<ChannelDeliveryException>(ex);
        Assert.Equal(1, _fake.CountRequests("sendMessage"));
    }

    [Fact]
    public async Task GroupTopicAnswer_RepliesToTrigger_InTheSameTopic()
    {
        var text = new string('a', 3000) + "\n\n" + new string('b', 3000);
        await Sender.SendAsync(To("-1009876543210", text, ChatKind.Group, thread: "42", replyTo: "520"), CancellationToken.None);
        var sent = _fake.SentMessages.ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal(42, m.MessageThreadId));
        Assert.Equal(520, sent[0].ReplyToMessageId);
        Assert.True(sent[0].AllowSendingWithoutReply);
        Assert.Null(sent[1].ReplyToMessageId);
    }

    [Fact]
    public async Task DirectAnswer_DoesNotQuoteTheTrigger()
    {
        await Sender.SendAsync(To("1001", "hi", ChatKind.Direct, replyTo: "45"), CancellationToken.None);
        var sent = Assert.Single(_fake.SentMessages);
        Assert.Null(sent.ReplyToMessageId);
        Assert.Null(sent.MessageThreadId);
    }

    [Fact]
    public async Task Edit_UsesEditMessageText_AndNotModifiedCountsAsSuccess()
    {
        var first = await Sender.SendAsync(To("1001", "draft"), CancellationToken.None);
        var id = first.PlatformMessageIds.Single();
        var edit = To("1001", "final **answer**") with { EditMessageId = id };
        var edited = await Sender.SendAsync(edit, CancellationToken.None);
        var again = await Sender.SendAsync(edit, CancellationToken.None);
        Assert.Equal([id], edited.PlatformMessageIds);
        Assert.Equal([id], again.PlatformMessageIds);
        Assert.Single(_fake.SentMessages);
        var e = Assert.Single(_fake.EditedMessages);
        Assert.Equal("final <b>answer</b>", e.Text);
        Assert.Equal(2, _fake.CountRequests("editMessageText"));
    }

    [Fact]
    public async Task Typing_ReachesTheFake_InTheTopic()
    {
        await Sender.SendTypingAsync(new DeliveryTarget("telegram", "123456789", "-1009876543210", "42", null, ChatKind.Group), CancellationToken.None);
        var action = Assert.Single(await _fake.WaitForChatActionsAsync(1, Wait));
        Assert.Equal(new FakeTelegramChatAction("-1009876543210", "typing", 42), action);
    }

    [Fact]
    public async Task TypingFailure_IsSwallowed()
    {
        _fake.FailNext("sendChatAction", 400, "Bad Request: chat not found");
        await Sender.SendTypingAsync(new DeliveryTarget("telegram", "123456789", "1001"), CancellationToken.None);
        Assert.Equal(1, _fake.CountRequests("sendChatAction"));
    }

    [Theory]
    [InlineData("unbalanced **bold and *italic")]
    [InlineData("snake_case_name and 2 * 3 * 4 < 5 & 6 > 1")]
    [InlineData("# Title\n> quoted **bold**\n- item `code`\n- [bad link](javascript:alert(1))")]
    [InlineData("```\nunclosed fence <b>")]
    [InlineData("***both*** ~~gone~~ __under__ _it_")]
    public async Task AnyMarkdown_BecomesHtmlTelegramAccepts(string markdown)
    {
        await Sender.SendAsync(To("1001", markdown), CancellationToken.None);
        var sent = Assert.Single(_fake.SentMessages);
        Assert.Equal("HTML", sent.ParseMode, ignoreCase: true); // accepted without the plain-text fallback
        Assert.Equal(1, _fake.CountRequests("sendMessage"));
    }
}
