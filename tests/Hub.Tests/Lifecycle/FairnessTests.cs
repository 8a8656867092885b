using OpenClaw.Channels.Tests.EndToEnd;

namespace OpenClaw.Channels.Tests.Lifecycle;

/// <summary>A run answers at most <c>Hub:MaxTurnsPerRun</c> turns, then queues a new run behind the others: a chat with
/// a backlog does not hold the only worker while another chat waits.</summary>
public class FairnessTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task BusyChat_YieldsAfterMaxTurns_SoAQuietChatIsAnsweredBeforeTheBacklogDrains()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s =>
        {
            s["Hub:WorkerCount"] = "1";
            s["Hub:MaxTurnsPerRun"] = "2";
        }, model: m => m.LatencyMs = 100);
        for (var i = 1; i <= 12; i++)
        {
            await t.PostOkAsync(TelegramUpdates.Text(51_000 + i, 510, 510, $"busy {i}"));
        }

        await t.Model.WaitForRequestsAsync(1, TimeSpan.FromSeconds(20)); // the busy chat's run has started
        await t.PostOkAsync(TelegramUpdates.Text(51_100, 511, 511, "quiet"));

        var sent = await t.Telegram.WaitForMessagesAsync(13, TimeSpan.FromSeconds(30));
        var quiet = sent.ToList().FindIndex(m => m.ChatId == "511");
        Assert.InRange(quiet, 0, 5); // after at most two runs of the busy chat, not after all twelve of its messages
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"answer: busy {i}"), sent.Where(m => m.ChatId == "510").Select(m => m.PlainText));
    }

    [Fact]
    public async Task ThirtyQueuedInOneChat_TwentyOtherChatsAreAllAnsweredBeforeThatBacklogIsDone_InOrderWithinIt()
    {
        // One worker and the default Hub:MaxTurnsPerRun (4): without the yield the busy chat's 30 turns would all come first.
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["Hub:WorkerCount"] = "1", model: m => m.LatencyMs = 50);
        for (var i = 1; i <= 30; i++)
        {
            await t.PostOkAsync(TelegramUpdates.Text(52_000 + i, 520, 520, $"busy {i}"));
        }

        await t.Model.WaitForRequestsAsync(1, TimeSpan.FromSeconds(20)); // the busy chat's run has started
        await Task.WhenAll(Enumerable.Range(1, 20).Select(c => t.PostOkAsync(TelegramUpdates.Text(52_100 + c, 521 + c, 521 + c, "quiet"))));

        var sent = (await t.Telegram.WaitForMessagesAsync(50, TimeSpan.FromSeconds(60))).ToList();
        var lastQuiet = sent.FindLastIndex(m => m.ChatId != "520");
        var busyBeforeIt = sent.Take(lastQuiet).Count(m => m.ChatId == "520");
        Assert.True(busyBeforeIt < 15, $"the busy chat got {busyBeforeIt} answers before the last other chat got its first"); // not all 30 first
        Assert.Equal(20, sent.Where(m => m.ChatId != "520").Select(m => m.ChatId).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"answer: busy {i}"), sent.Where(m => m.ChatId == "520").Select(m => m.PlainText));
    }
}
