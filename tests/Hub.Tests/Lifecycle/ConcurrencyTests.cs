using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.EndToEnd;

namespace OpenClaw.Channels.Tests.Lifecycle;

/// <summary>Issue 12, "Concurrency that follows the model, not a thread count", through the hub's jobs: with the model
/// limiter lifted every chat's run is in flight at once (far above the old fixed 20 workers); with
/// <c>Agent:MaxConcurrency</c> set the model never sees more than that. The fake model holds every call until the
/// condition under test holds, then lets them all answer.</summary>
public class ConcurrencyTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LimiterLifted_HundredChats_AllInFlightAtOnce_AllAnswered(bool onRedis)
    {
        const int Chats = 100;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TelegramHub.StartAsync(onRedis ? redis : null, configure: s =>
        {
            // The setting: every other setting default (runs in flight: Hub:MaxRunsPerNode, 512).
            s["Agent:RequestsPerMinute"] = "0";
            s["Agent:MaxConcurrency"] = "1000";
        }, model: m => m.Hold = hold.Task);

        await PostOnePerChatAsync(t, Chats, 60_000);
        await Eventually.UntilAsync(() => t.Model.InFlight >= Chats, Wait, () => $"{Chats} model calls in flight at once; {t.Model.InFlight} are");
        hold.SetResult();

        var sent = await t.Telegram.WaitForMessagesAsync(Chats, Wait);
        Assert.Equal(Chats, sent.Select(m => m.ChatId).Distinct().Count());
        Assert.Equal(Chats, t.Model.MaxInFlight);
    }

    [Fact]
    public async Task MaxConcurrencyFour_TheModelNeverSeesMoreThanFour_AllAnswered()
    {
        const int Chats = 20;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TelegramHub.StartAsync(redis, configure: s =>
        {
            s["Agent:RequestsPerMinute"] = "0";
            s["Agent:MaxConcurrency"] = "4";
        }, model: m => m.Hold = hold.Task);

        await PostOnePerChatAsync(t, Chats, 61_000);
        await Eventually.UntilAsync(() => t.Model.InFlight >= 4, Wait, () => $"4 model calls in flight; {t.Model.InFlight} are");

        // The positive marker before "no fifth call": every other chat's run is waiting in the queue meanwhile.
        var monitoring = TelegramHub.Jobs(t.Hub).GetMonitoringApi();
        await Eventually.UntilAsync(() => monitoring.Queues().Sum(q => q.Length) >= Chats - 4, Wait, () => $"{Chats - 4} runs queued behind the 4 in flight");
        Assert.Equal(4, t.Model.InFlight);
        hold.SetResult();

        var sent = await t.Telegram.WaitForMessagesAsync(Chats, Wait);
        Assert.Equal(Chats, sent.Select(m => m.ChatId).Distinct().Count());
        Assert.Equal(4, t.Model.MaxInFlight);
    }

    /// <summary>One message to each of <paramref name="chats"/> chats, ten webhooks at a time (the runs pile up at the held
    /// model either way; a burst of 100 at once only risks the client's timeout on a loaded machine).</summary>
    private static Task PostOnePerChatAsync(TelegramHub t, int chats, long firstChat)
        => Parallel.ForEachAsync(
            Enumerable.Range(0, chats),
            new ParallelOptions { MaxDegreeOfParallelism = 10 },
            async (i, _) => await t.PostOkAsync(TelegramUpdates.Text(firstChat + i, firstChat + i, firstChat + i, "hello " + i)));
}
