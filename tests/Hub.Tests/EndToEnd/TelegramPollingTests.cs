namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 2, test 7: long polling through the hub — offsets advance, nothing is processed twice, and a restarted
/// hub resumes where it stopped (offset persisted in the store).</summary>
public class TelegramPollingTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task Polling_AnswersEachUpdateOnce_AndARestartResumesWhereItStopped()
    {
        await using var t = await TelegramHub.StartAsync(redis, nodes: 0, configure: s =>
        {
            s["Channels:Telegram:Mode"] = "Polling";
            s["Channels:Telegram:PollingTimeoutSeconds"] = "1";
        });
        var first = await t.AddNodeAsync();
        t.Telegram.EnqueueTextMessage(61, 61, "one");
        t.Telegram.EnqueueTextMessage(61, 61, "two");
        var last = t.Telegram.EnqueueTextMessage(61, 61, "three");

        await t.Telegram.WaitForMessagesAsync(3, TimeSpan.FromSeconds(20));
        await t.Telegram.WaitForConfirmedOffsetAsync(last + 1, TimeSpan.FromSeconds(10));
        await first.DisposeAsync();
        t.Nodes.Clear();

        t.Telegram.EnqueueTextMessage(61, 61, "four");
        var fifth = t.Telegram.EnqueueTextMessage(61, 61, "five");
        await t.AddNodeAsync();

        await t.Telegram.WaitForMessagesAsync(5, TimeSpan.FromSeconds(20));
        // Positive marker instead of a sleep: the restarted poller confirmed every update and no run is left.
        await t.Telegram.WaitForConfirmedOffsetAsync(fifth + 1, TimeSpan.FromSeconds(10));
        await t.WaitForIdleAsync(1, TimeSpan.FromSeconds(20));
        Assert.Equal(["answer: one", "answer: two", "answer: three", "answer: four", "answer: five"], t.Telegram.SentMessages.Select(m => m.PlainText));
        Assert.Equal(5, t.Model.RequestCount);
    }
}
