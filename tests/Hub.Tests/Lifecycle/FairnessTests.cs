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
}
