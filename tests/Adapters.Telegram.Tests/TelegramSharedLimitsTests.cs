using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

/// <summary>Two senders sharing one set of buckets (two nodes sharing Redis; the Redis script is tested in Hub.Tests)
/// stay within Telegram's 20 messages/min per group together, and a 429 makes both wait its retry_after; on a
/// <see cref="FakeTimeProvider"/>, so every gap is exact.</summary>
public sealed class TelegramSharedLimitsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new();
    private readonly ObservedClock _clock;
    private readonly FakeTelegramServer _fake = new();
    private ServiceProvider _services = null!;

    public TelegramSharedLimitsTests()
    {
        _clock = new ObservedClock(_time);
        _fake.Clock = _clock;
    }

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _services = TelegramTestHost.BuildServices(_fake, time: _clock);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task TwoNodes_FourMessagesToOneGroup_BurstOfThreeThenTheGroupRate()
    {
        var shared = new LocalRateLimiter(_clock);
        var (a, b) = (NewSender(shared), NewSender(shared));
        for (var i = 1; i <= 3; i++)
        {
            await (i % 2 == 0 ? a : b).SendAsync(Message("-1001234", "g" + i), CancellationToken.None);
        }

        var fourth = a.SendAsync(Message("-1001234", "g4"), CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(3)); // 20/min is one per 3 s once the burst is spent
        _time.Advance(TimeSpan.FromMilliseconds(2_999));
        Assert.Equal(3, GroupSends().Count);
        Assert.False(fourth.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await fourth.WaitAsync(Wait);

        var sent = GroupSends();
        Assert.Equal(4, sent.Count);
        Assert.Equal(sent[0], sent[2]); // the burst of three went at once
        Assert.Equal(TimeSpan.FromSeconds(3), sent[3] - sent[0]);
    }

    [Fact]
    public async Task A429OnOneNode_MakesTheOtherNodeWaitTheRetryAfterToo()
    {
        await using var noRetry = TelegramTestHost.BuildServices(_fake, s => s["Channels:Telegram:SendMaxRetries"] = "0", _clock);
        var shared = new LocalRateLimiter(_clock);
        var (a, b) = (NewSender(shared, noRetry), NewSender(shared, noRetry));
        _fake.RateLimitNext("sendMessage", 2);
        var error = await Assert.ThrowsAsync<TelegramApiException>(() => a.SendAsync(Message("42", "from a"), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        var limitedAt = _fake.Requests.Single(r => r.Method == "sendMessage").ReceivedAt;

        var fromB = b.SendAsync(Message("43", "from b"), CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(2)); // b waits out a's retry_after
        _time.Advance(TimeSpan.FromMilliseconds(1_999));
        Assert.Equal(1, _fake.CountRequests("sendMessage"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await fromB.WaitAsync(Wait);

        var toB = _fake.Requests.Single(r => r.Method == "sendMessage" && r.Parameters["chat_id"]!.ToString() == "43");
        Assert.Equal(TimeSpan.FromSeconds(2), toB.ReceivedAt - limitedAt);
        Assert.Equal(["from b"], _fake.SentMessages.Select(m => m.PlainText));
    }

    [Fact]
    public async Task MessagesPerSecond_SetsTheBotsRate_AndZeroTurnsThePerBotBucketOff()
    {
        await using var twoPerSecond = TelegramTestHost.BuildServices(_fake, s => s["Channels:Telegram:MessagesPerSecond"] = "2", _clock);
        var recording = new RecordingLimiter(_clock);
        var sender = NewSender(recording, twoPerSecond);
        var eight = Task.Run(async () =>
        {
            await sender.SendAsync(Message("6", "warm-up"), CancellationToken.None);
            for (var i = 1; i <= 7; i++)
            {
                await sender.SendAsync(Message((100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "m" + i), CancellationToken.None);
            }
        });

        // Burst 5 (the warm-up and m1–m4) at once, then one per 500 ms: m5, m6 and m7 each wait one emission interval.
        for (var k = 1; k <= 3; k++)
        {
            await _clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(500), k);
            Assert.Equal(4 + k, _fake.CountRequests("sendMessage"));
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        await eight.WaitAsync(Wait);
        var sent = _fake.Requests.Where(r => r.Method == "sendMessage").Select(r => r.ReceivedAt).ToList();
        Assert.Equal(8, sent.Count);
        Assert.Equal(sent[0], sent[4]);
        Assert.Equal(TimeSpan.FromMilliseconds(1_500), sent[7] - sent[1]); // at the default 30/s all eight go at once
        Assert.All(recording.Reserved, r => Assert.Equal(new RateLimit(2, TimeSpan.FromSeconds(1), 5), r.Limit));

        await using var off = TelegramTestHost.BuildServices(_fake, s => s["Channels:Telegram:MessagesPerSecond"] = "0", _clock);
        var unpaced = new RecordingLimiter(_clock);
        var offSender = NewSender(unpaced, off);
        await offSender.SendAsync(Message("201", "direct"), CancellationToken.None);
        await offSender.SendAsync(Message("-1001234", "group"), CancellationToken.None);
        Assert.Equal(["telegram:bot:123456789:group:-1001234"], unpaced.Reserved.Select(r => r.Bucket)); // only the group's 20/min
    }

    private List<DateTimeOffset> GroupSends()
        => [.. _fake.Requests.Where(r => r.Method == "sendMessage" && r.Parameters["chat_id"]!.ToString() == "-1001234").Select(r => r.ReceivedAt)];

    private sealed class RecordingLimiter(TimeProvider time) : ISharedRateLimiter
    {
        private readonly LocalRateLimiter _inner = new(time);

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
        _clock,
        limiter);

    private static OutboundMessage Message(string chatId, string text)
        => new() { Target = new DeliveryTarget("telegram", "123456789", chatId, null, null, chatId.StartsWith('-') ? ChatKind.Group : ChatKind.Direct), Text = text };
}
