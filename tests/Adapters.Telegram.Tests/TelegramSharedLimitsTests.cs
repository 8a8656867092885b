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

    [Fact]
    public async Task MessagesPerSecond_SetsTheBotsRate_AndZeroTurnsThePerBotBucketOff()
    {
        await using var twoPerSecond = TelegramTestHost.BuildServices(_fake, s => s["Channels:Telegram:MessagesPerSecond"] = "2");
        var recording = new RecordingLimiter();
        var sender = NewSender(recording, twoPerSecond);
        await sender.SendAsync(Message("6", "warm-up"), CancellationToken.None);
        for (var i = 1; i <= 7; i++)
        {
            await sender.SendAsync(Message((100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "m" + i), CancellationToken.None);
        }

        // Burst 5 (the warm-up and m1–m4), then one per 500 ms: m7's slot is 1.5 s after the warm-up's. Measured from
        // m1's arrival (the warm-up's arrival is late by its connection set-up): at the default 30/s all eight go
        // within about 0.1 s.
        var sent = _fake.Requests.Where(r => r.Method == "sendMessage").Select(r => r.ReceivedAt).ToList();
        Assert.Equal(8, sent.Count);
        Assert.True(sent[7] - sent[1] >= TimeSpan.FromMilliseconds(900), $"m7 {(sent[7] - sent[1]).TotalMilliseconds:F0} ms after m1; at 2/s after a burst of 5 it is about 1.5 s");
        Assert.All(recording.Reserved, r => Assert.Equal(new RateLimit(2, TimeSpan.FromSeconds(1), 5), r.Limit));

        await using var off = TelegramTestHost.BuildServices(_fake, s => s["Channels:Telegram:MessagesPerSecond"] = "0");
        var unpaced = new RecordingLimiter();
        var offSender = NewSender(unpaced, off);
        await offSender.SendAsync(Message("201", "direct"), CancellationToken.None);
        await offSender.SendAsync(Message("-1001234", "group"), CancellationToken.None);
        Assert.Equal(["telegram:bot:123456789:group:-1001234"], unpaced.Reserved.Select(r => r.Bucket)); // only the group's 20/min
    }

    private sealed class RecordingLimiter : ISharedRateLimiter
    {
        private readonly LocalRateLimiter _inner = new();

        public System.Collections.Concurrent.ConcurrentQueue<(string Bucket, RateLimit Limit)> Reserved { get; } = new();

        public Task<TimeSpan> ReserveAsync(string bucket, RateLimit limit, CancellationToken cancellationToken)
        {
            Reserved.Enqueue((bucket, limit));
            return _inner.ReserveAsync(bucket, limit, cancellationToken);
        }

        public Task BlockAsync(string bucket, RateLimit limit, TimeSpan retryAfter, CancellationToken cancellationToken)
            => _inner.BlockAsync(bucket, limit, retryAfter, cancellationToken);
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
