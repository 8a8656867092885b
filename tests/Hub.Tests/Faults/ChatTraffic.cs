using System.Net;
using System.Text;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Tests.EndToEnd;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>Fault-test traffic: <c>chats</c> Telegram chats send <c>perChat</c> messages each (<c>c{chat} m{n}</c>), in
/// order per chat, to the hubs' webhooks. A post is retried until the hub answers 200, as Telegram redelivers an update
/// that was not acknowledged; only acknowledged messages count. <see cref="Check"/> compares what the fake platform
/// received with what was acknowledged: lost, duplicated, reordered.</summary>
public sealed class ChatTraffic(FakeTelegramServer telegram, int chats, int perChat)
{
    private const long ChatBase = 700_000;
    private static readonly TimeSpan PostDeadline = TimeSpan.FromSeconds(90);
    private int _acknowledged;
    private long _nextUpdateId = 1;

    public int Total => chats * perChat;

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public static string SessionKeyOf(int chat) => "agent:main:telegram:direct:" + (ChatBase + chat).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Posts every message, round by round (message n of every chat, then n + 1), to the hub chosen by
    /// <paramref name="hub"/> for each post; calls <paramref name="afterAck"/> after each acknowledgement.</summary>
    public async Task PostAllAsync(Func<int, HttpClient> hub, Func<int, Task>? afterAck = null)
    {
        for (var n = 1; n <= perChat; n++)
        {
            // One round in parallel across chats; a chat's next message only after this one was acknowledged.
            var round = n;
            await Task.WhenAll(Enumerable.Range(1, chats).Select(chat => PostAsync(hub, chat, round, afterAck)));
        }
    }

    private async Task PostAsync(Func<int, HttpClient> hub, int chat, int n, Func<int, Task>? afterAck)
    {
        var updateId = Interlocked.Increment(ref _nextUpdateId);
        var json = TelegramUpdates.Text(updateId, ChatBase + chat, ChatBase + chat, $"c{chat} m{n}");
        var deadline = DateTime.UtcNow + PostDeadline;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramHub.Secret);
                using var response = await hub(attempt).SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var acked = Interlocked.Increment(ref _acknowledged);
                    if (afterAck is not null)
                    {
                        await afterAck(acked);
                    }

                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // the hub is down or slow: Telegram would redeliver
            }

            Assert.True(DateTime.UtcNow < deadline, $"c{chat} m{n} was never acknowledged");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until every acknowledged message has an answer (or the deadline passes).</summary>
    public async Task WaitAnsweredAsync(TimeSpan timeout)
    {
        try
        {
            await Eventually.UntilAsync(() => Answers().Sum(a => a.Value.Distinct().Count()) >= Total, timeout);
        }
        catch (TimeoutException)
        {
            // the caller's Check() counts what is missing
        }
    }

    /// <summary>Answers per chat, as message numbers in the order the platform received them.</summary>
    public Dictionary<int, List<int>> Answers()
    {
        var answers = Enumerable.Range(1, chats).ToDictionary(c => c, _ => new List<int>());
        foreach (var sent in telegram.SentMessages)
        {
            var parts = sent.PlainText.Replace("answer: ", string.Empty, StringComparison.Ordinal).Split(' ');
            if (parts.Length == 2 && parts[0].StartsWith('c') && parts[1].StartsWith('m')
                && int.TryParse(parts[0][1..], out var chat) && int.TryParse(parts[1][1..], out var n) && answers.TryGetValue(chat, out var list))
            {
                list.Add(n);
            }
        }

        return answers;
    }

    /// <summary>Lost (acknowledged, never answered), duplicated (answered more than once) and reordered (answered
    /// before an earlier message of its chat) counts.</summary>
    public (int Lost, int Duplicated, int Reordered) Check()
    {
        int lost = 0, duplicated = 0, reordered = 0;
        foreach (var (_, answered) in Answers())
        {
            lost += Enumerable.Range(1, perChat).Count(n => !answered.Contains(n));
            duplicated += answered.Count - answered.Distinct().Count();
            var firsts = answered.Distinct().ToList();
            reordered += firsts.Zip(firsts.Skip(1)).Count(p => p.Second < p.First);
        }

        return (lost, duplicated, reordered);
    }
}
