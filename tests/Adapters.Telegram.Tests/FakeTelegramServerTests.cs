using OpenClaw.Channels.Fakes.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Tests;

/// <summary>Checks the fake against Telegram.Bot itself, so the adapter tests rest on a faithful wire format.</summary>
public sealed class FakeTelegramServerTests : IAsyncLifetime
{
    private readonly FakeTelegramServer _fake = new();
    private TelegramBotClient _bot = null!;

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _bot = new TelegramBotClient(new TelegramBotClientOptions(_fake.BotToken, _fake.BaseUrl) { RetryThreshold = 0 });
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task GetMe_ReturnsTheBot()
    {
        var me = await _bot.GetMe();
        Assert.Equal(_fake.BotId, me.Id);
        Assert.Equal(_fake.BotUsername, me.Username);
        Assert.True(me.IsBot);
    }

    [Fact]
    public async Task WrongToken_Is401()
    {
        var other = new TelegramBotClient(new TelegramBotClientOptions("42:wrong-token", _fake.BaseUrl));
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => other.GetMe());
        Assert.Equal(401, ex.ErrorCode);
    }

    [Fact]
    public async Task UnbalancedHtml_IsRejected_WithCantParseEntities()
    {
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(1001, "<b>open", ParseMode.Html));
        Assert.Equal(400, ex.ErrorCode);
        Assert.Contains("can't parse entities", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.SentMessages);
    }

    [Fact]
    public async Task TooLongText_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(1001, new string('x', 4097)));
        Assert.Equal("Bad Request: message is too long", ex.Message);
        var ok = await _bot.SendMessage(1001, "<b>" + new string('x', 4096) + "</b>", ParseMode.Html); // limit counts after entity parsing
        Assert.Equal(4096, ok.Text!.Length);
    }

    [Fact]
    public async Task GetUpdates_HoldsUntilAnUpdateArrives_AndOffsetConfirms()
    {
        var poll = _bot.GetUpdates(timeout: 5);
        await _fake.WaitForRequestsAsync("getUpdates", 1, TimeSpan.FromSeconds(15));
        Assert.False(poll.IsCompleted);
        var id = _fake.EnqueueTextMessage(1001, 1001, "hello");
        var updates = await poll;
        Assert.Equal((int)id, Assert.Single(updates).Id);
        Assert.Equal("hello", updates[0].Message!.Text);

        Assert.Single(await _bot.GetUpdates(timeout: 0)); // not confirmed yet: delivered again
        Assert.Empty(await _bot.GetUpdates(offset: (int)id + 1, timeout: 0));
        Assert.Equal(id + 1, _fake.ConfirmedOffset);
    }

    [Fact]
    public async Task SecondPoller_TerminatesTheFirst_With409()
    {
        var first = _bot.GetUpdates(timeout: 5);
        await _fake.WaitForRequestsAsync("getUpdates", 1, TimeSpan.FromSeconds(15));
        var second = _bot.GetUpdates(timeout: 1);
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => first);
        Assert.Equal(409, ex.ErrorCode);
        Assert.Contains("terminated by other getUpdates request", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await second);
    }
}
