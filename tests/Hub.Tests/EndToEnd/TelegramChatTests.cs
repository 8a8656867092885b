using System.Diagnostics.Metrics;
using System.Net;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 2 end to end: webhook → pipeline → Hangfire job → agent (fake model) → sendMessage at the fake Telegram.</summary>
[TypicalDuration(17)]
public class TelegramChatTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WebhookUpdate_IsAnsweredWithTheModelsAnswer(bool useRedis)
    {
        await using var t = await TelegramHub.StartAsync(useRedis ? redis : null);
        await t.PostOkAsync(TelegramUpdates.Text(1001, 42, 42, "hello there"));

        var sent = await t.Telegram.WaitForMessagesAsync(1, Wait);
        Assert.Equal("42", sent[0].ChatId);
        Assert.Equal("answer: hello there", sent[0].PlainText);
        Assert.Equal("Bearer sk-test-key", t.Model.Requests[0].Authorization);
        Assert.Equal("fake-model", t.Model.Requests[0].Model);
    }

    [Fact]
    public async Task SameUpdateDeliveredThreeTimes_IsAnsweredOnce()
    {
        await using var t = await TelegramHub.StartAsync(redis);
        var update = TelegramUpdates.Text(2002, 43, 43, "only once");
        for (var i = 0; i < 3; i++)
        {
            await t.PostOkAsync(update);
        }

        await t.Telegram.WaitForMessagesAsync(1, Wait);
        await t.WaitForIdleAsync(1, Wait);
        Assert.Single(t.Telegram.SentMessages);
        Assert.Equal(1, t.Model.RequestCount);
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData(null)]
    public async Task WrongOrMissingSecret_Returns401_NoJob_NoReply(string? secret)
    {
        await using var t = await TelegramHub.StartAsync(redis);
        using var response = await t.PostUpdateAsync(TelegramUpdates.Text(3003, 44, 44, "let me in"), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // Positive marker instead of a sleep: an update with the right secret, posted after it, is answered and the hub
        // is idle; everything counted below is the marker's.
        await t.PostOkAsync(TelegramUpdates.Text(3004, 47, 47, "marker"));
        await t.Telegram.WaitForMessagesAsync(1, Wait);
        await t.WaitForIdleAsync(1, Wait);
        var monitoring = TelegramHub.Jobs(t.Hub).GetMonitoringApi();
        Assert.Equal(1, monitoring.EnqueuedCount("node-" + t.Hub.Services.GetNodeId()) + monitoring.SucceededListCount() + monitoring.ProcessingCount());
        Assert.Equal(["answer: marker"], t.Telegram.SentMessages.Select(m => m.PlainText));
        Assert.Equal(1, t.Model.RequestCount);
    }

    [Fact]
    public async Task FiveQuickMessages_InOneChat_GetFiveAnswersInOrder_NeverConcurrently()
    {
        await using var t = await TelegramHub.StartAsync(redis, model: m => m.LatencyMs = 150);
        for (var i = 1; i <= 5; i++)
        {
            await t.PostOkAsync(TelegramUpdates.Text(4000 + i, 45, 45, $"c45 m{i}"));
        }

        var sent = await t.Telegram.WaitForMessagesAsync(5, Wait);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"answer: c45 m{i}"), sent.Select(m => m.PlainText));
        Assert.Equal(1, t.Model.MaxConcurrencyBy(_ => "c45"));
    }

    [Fact]
    public async Task FiftyChatsAtOnce_RunInParallel()
    {
        const int latencyMs = 1000;
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["Hub:WorkerCount"] = "64", model: m => m.LatencyMs = latencyMs);
        var started = DateTime.UtcNow;
        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => t.PostOkAsync(TelegramUpdates.Text(5000 + i, 100 + i, 100 + i, $"chat {i}"))));

        var sent = await t.Telegram.WaitForMessagesAsync(50, TimeSpan.FromSeconds(40));
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal(50, sent.Select(m => m.ChatId).Distinct().Count());
        Assert.True(elapsed < TimeSpan.FromMilliseconds(50 * latencyMs / 4), $"50 chats took {elapsed}, expected well below {50 * latencyMs} ms");
        Assert.True(t.Model.MaxInFlight > 1);
    }

    [Fact]
    public async Task TenThousandCharacterAnswer_ArrivesAsSeveralMessagesInOrder()
    {
        var paragraphs = Enumerable.Range(0, 100).Select(i => $"Part {i:D3}. " + string.Join(' ', Enumerable.Repeat("lorem", 16))).ToList();
        var answer = string.Join("\n\n", paragraphs);
        Assert.True(answer.Length >= 10_000);
        await using var t = await TelegramHub.StartAsync(null, model: m => m.DefaultResponder = _ => Fakes.OpenAi.FakeChatResponse.Answer(answer));
        await t.PostOkAsync(TelegramUpdates.Text(6001, 46, 46, "write a lot"));

        await t.Telegram.WaitForMessagesAsync(3, Wait);
        await t.WaitForIdleAsync(1, Wait);
        var sent = t.Telegram.SentMessages.ToList();
        Assert.True(sent.Count >= 3);
        Assert.All(sent, m => Assert.InRange(m.PlainText.Length, 1, 4096));
        var parts = string.Join("\n", sent.Select(m => m.PlainText)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("Part ", StringComparison.Ordinal)).Select(l => l[..8]).ToList();
        Assert.Equal(paragraphs.Select(p => p[..8]), parts);
    }

    [Fact]
    public async Task ModelFailsTwiceThenAnswers_OneReply()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["Agent:RetryBaseDelayMs"] = "50", model: m =>
        {
            m.Enqueue(Fakes.OpenAi.FakeChatResponse.Error(500));
            m.Enqueue(Fakes.OpenAi.FakeChatResponse.Error(500));
            m.Enqueue(Fakes.OpenAi.FakeChatResponse.Answer("third time lucky"));
        });
        await t.PostOkAsync(TelegramUpdates.Text(7001, 47, 47, "try"));

        var sent = await t.Telegram.WaitForMessagesAsync(1, Wait);
        await t.WaitForIdleAsync(1, Wait);
        Assert.Single(t.Telegram.SentMessages);
        Assert.Equal("third time lucky", sent[0].PlainText);
        Assert.Equal(3, t.Model.RequestCount);
    }

    [Fact]
    public async Task ModelDown_OneErrorReply_JobFailed_NoRetryStorm()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s =>
        {
            s["Agent:RetryBaseDelayMs"] = "50";
            s["Agent:MaxRetries"] = "2";
        }, model: m => m.DefaultResponder = _ => Fakes.OpenAi.FakeChatResponse.Error(503));
        await t.PostOkAsync(TelegramUpdates.Text(8001, 48, 48, "anyone there?"));

        var sent = await t.Telegram.WaitForMessagesAsync(1, Wait);
        Assert.Contains("503", sent[0].PlainText, StringComparison.Ordinal);
        await t.WaitForIdleAsync(1, Wait);
        Assert.Single(t.Telegram.SentMessages);
        Assert.Equal(3, t.Model.RequestCount);
        var monitoring = TelegramHub.Jobs(t.Hub).GetMonitoringApi();
        Assert.Equal(1, monitoring.FailedCount());
        Assert.Equal(0, monitoring.ScheduledCount());
    }

    [Fact]
    public async Task GroupMessage_WithoutMention_IsIgnored_WithMention_IsAnswered()
    {
        await using var t = await TelegramHub.StartAsync(redis);
        await t.PostOkAsync(TelegramUpdates.Text(9001, -1001, 49, "just chatting", "supergroup", t.Telegram.BotUsername));
        await t.PostOkAsync(TelegramUpdates.Text(9002, -1001, 49, $"@{t.Telegram.BotUsername} what time is it?", "supergroup", t.Telegram.BotUsername));

        var sent = await t.Telegram.WaitForMessagesAsync(1, Wait);
        await t.WaitForIdleAsync(1, Wait);
        Assert.Single(t.Telegram.SentMessages);
        Assert.Equal("-1001", sent[0].ChatId);
        Assert.Equal(9002, sent[0].ReplyToMessageId);
        Assert.Single(t.Model.Requests);
        Assert.DoesNotContain("just chatting", t.Model.Requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusAndReset_AreAnsweredByTheHub_WithoutTheModel()
    {
        await using var t = await TelegramHub.StartAsync(null);
        await t.PostOkAsync(TelegramUpdates.Text(10_001, 50, 50, "remember me"));
        await t.Telegram.WaitForMessagesAsync(1, Wait);
        await t.PostOkAsync(TelegramUpdates.Text(10_002, 50, 50, "/status"));
        await t.PostOkAsync(TelegramUpdates.Text(10_003, 50, 50, "/reset"));
        await t.PostOkAsync(TelegramUpdates.Text(10_004, 50, 50, "fresh start"));

        var sent = await t.Telegram.WaitForMessagesAsync(4, Wait);
        Assert.Contains("agent:main:telegram:direct:50", sent[1].PlainText, StringComparison.Ordinal);
        Assert.Contains("fake-model", sent[1].PlainText, StringComparison.Ordinal);
        Assert.Contains("Queued messages:", sent[1].PlainText, StringComparison.Ordinal);
        Assert.Contains("fresh session", sent[2].PlainText, StringComparison.Ordinal);
        Assert.Equal(2, t.Model.RequestCount);
        Assert.DoesNotContain("remember me", t.Model.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoModelConfigured_EachMessageGetsOneReplyNamingTheSetting()
    {
        await using var t = await TelegramHub.StartAsync(null, configure: s => s["Agent:Endpoint"] = "");
        await t.PostOkAsync(TelegramUpdates.Text(11_001, 51, 51, "hi"));

        var sent = await t.Telegram.WaitForMessagesAsync(1, Wait);
        Assert.Contains("Agent", sent[0].PlainText, StringComparison.Ordinal);
        Assert.Contains("Endpoint", sent[0].PlainText, StringComparison.Ordinal);
        Assert.Equal(0, t.Model.RequestCount);
    }
}

public class PoisonMessageTests
{
    [Fact]
    public async Task TurnThatThrows_IsDeadLetteredAfterBoundedAttempts_AndTheSessionMovesOn_WithoutRetryLoop()
    {
        await using var t = await TelegramHub.StartAsync(null, configure: s => s["Hub:StaleSessionMs"] = "1000");
        t.Telegram.FailNext("sendMessage", 400, "Bad Request: chat not found", times: 1000); // every delivery of the turn throws
        await t.PostOkAsync(TelegramUpdates.Text(12_001, 52, 52, "first"));
        await t.PostOkAsync(TelegramUpdates.Text(12_002, 52, 52, "second"));

        var store = t.Hub.Services.GetRequiredService<OpenClaw.Channels.Hub.Stores.ISessionStore>();
        using var sweeps = new MetricCollector<long>(t.Hub.Services.GetRequiredService<IMeterFactory>(), ChannelDiagnostics.Name + ".Hub", "openclaw.hub.rescue.sweeps");
        await Eventually.UntilAsync(async () => (await store.ListDeadLettersAsync(10, CancellationToken.None)).Count >= 2, TimeSpan.FromSeconds(20), () => "both messages should be dead-lettered");

        // Several rescue sweeps that could take the session for stale: a sweep looks at sessions without progress for
        // Hub:StaleSessionMs (1 s), every 500 ms. Of three sweeps ending 1 s or more after the dead-lettering, the second
        // sees the session stale if it still had a run to rescue, and the third leaves that run another 500 ms for its model call.
        var staleFrom = DateTimeOffset.UtcNow.AddMilliseconds(1000);
        await Eventually.UntilAsync(
            () => sweeps.GetMeasurementSnapshot().Count(m => m.Timestamp >= staleFrom) >= 3,
            TimeSpan.FromSeconds(20),
            () => $"three rescue sweeps after {staleFrom:O}; {sweeps.GetMeasurementSnapshot().Count} in all");
        var letters = await store.ListDeadLettersAsync(10, CancellationToken.None);
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Contains("turn failed 3 times", l.Reason, StringComparison.Ordinal));
        Assert.Equal(2 * 3, t.Model.RequestCount); // Hub:MaxMessageAttempts = 3 each, then no more
        Assert.Equal(0, await store.CountAsync("agent:main:telegram:direct:52", CancellationToken.None));
    }
}
