using System.Collections.Concurrent;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>A run that loses its lease mid-turn (another holder took the lock while the model was thinking) sends
/// nothing and pops nothing; the retried run answers the message once.</summary>
[TypicalDuration(10)]
public sealed class LeaseLostTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task LeaseLostMidTurn_TheRunStopsWithoutSideEffects_AndEveryMessageIsAnsweredOnceInOrder()
    {
        string prefix = null!;
        var intruded = new ConcurrentDictionary<string, bool>();
        await using var t = await TelegramHub.StartAsync(redis, configure: s =>
        {
            prefix = s["Hub:KeyPrefix"]!;
            s["Hub:LockLeaseMs"] = "1500";
            s["Hub:LockWaitMs"] = "3000";
        }, model: m => m.DefaultResponder = request =>
        {
            var text = request.LastUserText ?? string.Empty;
            var parts = text.Split(' ');
            if (parts is [var c, "m3"] && int.Parse(c[1..], System.Globalization.CultureInfo.InvariantCulture) <= 5 && intruded.TryAdd(text, true))
            {
                // Another holder takes the session lock while the model thinks; the run's next extension fails.
                var chat = int.Parse(c[1..], System.Globalization.CultureInfo.InvariantCulture);
                redis.Multiplexer.GetDatabase().StringSet(prefix + "lock:" + ChatTraffic.SessionKeyOf(chat), "intruder", TimeSpan.FromMilliseconds(1500));
                return FakeChatResponse.Answer("answer: " + text) with { DelayMs = 1200 };
            }

            return FakeChatResponse.Answer("answer: " + text);
        });

        var traffic = new ChatTraffic(t.Telegram, chats: 10, perChat: 10);
        await traffic.PostAllAsync(_ => t.Hub.Http);
        await traffic.WaitAnsweredAsync(TimeSpan.FromSeconds(60));
        var pending = redis.Multiplexer.GetDatabase();
        try
        {
            await Eventually.UntilAsync(async () => await pending.SortedSetLengthAsync(prefix + "pending") == 0, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // the checks below say what the pending sessions left undone
        }

        var (lost, duplicated, reordered) = traffic.Check();
        output.WriteLine($"{traffic.Total} messages, lost {lost}, duplicated {duplicated}, reordered {reordered}, model requests {t.Model.RequestCount}, intrusions {intruded.Count}");
        Assert.Equal(5, intruded.Count);
        Assert.Equal((0, 0, 0), (lost, duplicated, reordered));
        Assert.Equal(traffic.Total + 5, t.Model.RequestCount); // each intruded turn was asked again, nothing else
    }
}
