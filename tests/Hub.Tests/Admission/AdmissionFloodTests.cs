using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub.Inbound;
using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.Admission;

/// <summary>Inbound admission in a real hub (fake Telegram, fake model): busy chats in a closed loop (each posts its next
/// message as soon as the previous one is acknowledged) fill the backlog and their acknowledgements are held, while a
/// new chat is acknowledged at once and answered; every place comes back when its message is answered, a duplicate, or
/// its append failed.</summary>
[TypicalDuration(12)]
public class AdmissionFloodTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private const int BusyChats = 4;
    private const int MessagesPerBusyChat = 10;
    private const int MaxBacklog = 8;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FloodFromBusyChats_NewChatIsAcknowledgedAtOnceAndAnswered_EveryMessageOnceInOrder(bool useRedis)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TelegramHub.StartAsync(useRedis ? redis : null, configure: s =>
        {
            s["Hub:AdmissionMaxBacklog"] = MaxBacklog.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Hub:AdmissionWaitMs"] = "60000"; // a held acknowledgement stays held for the whole test
        }, model: m => m.Hold = hold.Task);
        var admission = t.Hub.Services.GetRequiredService<InboundAdmission>();
        using var results = new MetricCollector<long>(t.Hub.Services.GetRequiredService<IMeterFactory>(), ChannelDiagnostics.Name + ".Hub", "openclaw.hub.admission");

        var busy = Enumerable.Range(0, BusyChats).Select(c => Task.Run(async () =>
        {
            for (var i = 1; i <= MessagesPerBusyChat; i++)
            {
                await t.PostOkAsync(TelegramUpdates.Text(62_000 + (c * 100) + i, 620 + c, 620 + c, $"busy {c} m{i}"));
            }
        })).ToList();

        // Nothing is answered (the model holds every call): the backlog fills and each busy chat's next post is held.
        await Eventually.UntilAsync(() => admission.Waiting == BusyChats, Wait, () => $"waiting {admission.Waiting}, backlog {admission.Backlog}");
        Assert.Equal(MaxBacklog + BusyChats, admission.Backlog); // the held posts count as unanswered too

        await t.PostOkAsync(TelegramUpdates.Text(62_900, 629, 629, "new chat"));
        Assert.Equal(BusyChats, admission.Waiting); // the busy chats' acknowledgements are still held; the new chat's was not
        Assert.Equal(MaxBacklog + BusyChats + 1, admission.Backlog);
        Assert.DoesNotContain(busy, b => b.IsCompleted);

        hold.SetResult();
        await Task.WhenAll(busy).WaitAsync(Wait);
        var sent = (await t.Telegram.WaitForMessagesAsync((BusyChats * MessagesPerBusyChat) + 1, Wait)).ToList();

        var newChat = sent.FindIndex(m => m.ChatId == "629");
        Assert.InRange(newChat, 0, (BusyChats * MessagesPerBusyChat) - 1); // before the busy chats' backlog was drained
        for (var c = 0; c < BusyChats; c++)
        {
            var chat = (620 + c).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Enumerable.Range(1, MessagesPerBusyChat).Select(i => $"answer: busy {c} m{i}"), sent.Where(m => m.ChatId == chat).Select(m => m.PlainText));
        }

        await Eventually.UntilAsync(() => admission.Backlog == 0, Wait, () => $"backlog {admission.Backlog} after every message was answered");
        var tags = results.GetMeasurementSnapshot().Select(m => m.Tags["result"]?.ToString()).ToList();
        Assert.Equal((BusyChats * MessagesPerBusyChat) + 1, tags.Count);
        Assert.True(tags.Count(r => r == "waited") >= BusyChats, string.Join(",", tags)); // at least the posts held while the model was
        Assert.DoesNotContain("timed_out", tags);
    }

    [Fact]
    public async Task DuplicateDelivery_ReleasesItsPlace_AndTheAnswerReleasesTheMessages()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["Hub:AdmissionMaxBacklog"] = "2", model: m => m.Hold = hold.Task);
        var admission = t.Hub.Services.GetRequiredService<InboundAdmission>();
        var update = TelegramUpdates.Text(63_001, 630, 630, "once");

        await t.PostOkAsync(update);
        await t.PostOkAsync(update); // redelivered: a duplicate, its place released
        Assert.Equal(1, admission.Backlog);
        await t.PostOkAsync(TelegramUpdates.Text(63_002, 630, 630, "twice")); // the duplicate's place, not a wait
        Assert.Equal(2, admission.Backlog);
        Assert.Equal(0, admission.Waiting);

        hold.SetResult();
        var sent = await t.Telegram.WaitForMessagesAsync(2, Wait);
        Assert.Equal(["answer: once", "answer: twice"], sent.Select(m => m.PlainText));
        await Eventually.UntilAsync(() => admission.Backlog == 0, Wait, () => $"backlog {admission.Backlog} after both were answered");
    }

    [Fact]
    public async Task FailedAppend_Answers5xx_AndReleasesItsPlace()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=300,asyncTimeout=300");
        var admission = t.Hub.Services.GetRequiredService<InboundAdmission>();

        using var response = await t.PostUpdateAsync(TelegramUpdates.Text(64_001, 640, 640, "redis is down"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode); // the platform redelivers
        Assert.Equal(0, admission.Backlog);
    }
}
