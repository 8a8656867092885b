namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 14: /start and /help are answered with the help text, without calling the model.</summary>
public class TelegramHelpTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Theory]
    [InlineData("/start")]
    [InlineData("/help")]
    public async Task StartAndHelp_AreAnsweredWithTheHelpText_WithoutTheModel(string command)
    {
        await using var t = await TelegramHub.StartAsync(redis);
        await t.PostOkAsync(TelegramUpdates.Text(7001, 77, 77, command));
        await t.PostOkAsync(TelegramUpdates.Text(7002, 77, 77, "a question"));

        var sent = await t.Telegram.WaitForMessagesAsync(2, TimeSpan.FromSeconds(20));
        Assert.Equal(HubCommands.HelpText, sent[0].PlainText);
        Assert.Equal("answer: a question", sent[1].PlainText);
        Assert.Equal(1, t.Model.RequestCount);
    }
}
