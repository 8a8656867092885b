using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

/// <summary>Two senders sharing one set of buckets (two nodes sharing Redis; the Redis script is tested in Hub.Tests)
/// stay within Telegram's 20 messages/min per group together, and a 429 makes both wait its retry_after.</summary>
public sealed class TelegramSharedLimitsTests : IAsyncLifetime
{
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

    [Fact]
    public async Task TwoNodes_FourMessagesToOneGroup_BurstOfThreeThenTheGroupRate()
    {
        var shared = new LocalRateLimiter();
        var (a, b) = (NewSender(shared), NewSender(shared));
        await a.SendAsync(Message("7", "warm-up"), CancellationToken.None); // connections open, so arrivals follow the slots
        await b.SendAsync(Message("8", "warm-up"), CancellationToken.None);
        for (var i = 1; i <= 4; i++)
        {
            await (i % 2 == 0 ? a : b).SendAsync(Message("-1001234", "g" + i), CancellationToken.None);
        }

        var sent = _fake.Requests.Where(r => r.Method == "sendMessage" && r.Parameters["chat_id"]!.ToString() == "-1001234").Select(r => r.ReceivedAt).ToList();
        Assert.Equal(4, sent.Count);
        Assert.True(sent[2] - sent[0] < TimeSpan.FromSeconds(1), "the burst of three went at once");
        Assert.True(sent[3] - sent[0] >= TimeSpan.FromMilliseconds(2_900), $"fourth after {(sent[3] - sent[0]).TotalMilliseconds:F0} ms; 20/min is one per 3 s");
    }

    [Fact]
    public async Task A429OnOneNode_MakesTheOtherNodeWaitTheRetryAfterToo()
    {
        await using var noRetry = TelegramTestHost.BuildServices(_fake, s => s["Channels:Telegram:SendMaxRetries"] = "0");
        var shared = new LocalRateLimiter();
        var (a, b) = (NewSender(shared, noRetry), NewSender(shared, noRetry));
        _fake.RateLimitNext("sendMessage", 2);
        var error = await Assert.ThrowsAsync<TelegramApiException>(() => a.SendAsync(Message("42", "from a"), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        var limitedAt = _fake.Requests.Single(r => r.Method == "sendMessage").ReceivedAt;

        await b.SendAsync(Message("43", "from b"), CancellationToken.None);

        var toB = _fake.Requests.Single(r => r.Method == "sendMessage" && r.Parameters["chat_id"]!.ToString() == "43");
        Assert.True(toB.ReceivedAt - limitedAt >= TimeSpan.FromMilliseconds(1_900), $"b sent {(toB.ReceivedAt - limitedAt).TotalMilliseconds:F0} ms after the 429 (retry_after 2 s)");
        Assert.Equal(["from b"], _fake.SentMessages.Select(m => m.PlainText));
    }

    private TelegramSender NewSender(ISharedRateLimiter limiter, IServiceProvider? services = null) => new(
        (services ?? _services).GetRequiredService<TelegramBotClientFactory>(),
        (services ?? _services).GetRequiredService<IOptions<TelegramOptions>>(),
        (services ?? _services).GetRequiredService<ILogger<TelegramSender>>(),
        TimeProvider.System,
        limiter);

    private static OutboundMessage Message(string chatId, string text)
        => new() { Target = new DeliveryTarget("telegram", "123456789", chatId, null, null, chatId.StartsWith('-') ? ChatKind.Group : ChatKind.Direct), Text = text };
}
