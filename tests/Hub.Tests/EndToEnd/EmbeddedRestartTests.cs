using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Issue 11: the embedded default (in-process Garnet, append-only file under Hub:DataDirectory) loses nothing
/// acknowledged when its process is SIGKILLed. The hub runs as a separate process here so the kill is real.</summary>
[TypicalDuration(33)]
public class EmbeddedRestartTests
{
    private const int Messages = 40;
    private const long FirstUpdateId = 70_001;
    private const string AdminToken = "restart-admin-token";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SigKill_WithFortyAcknowledgedMessages_EachIsAnsweredOnce_AndRedeliveriesAndStateSurvive()
    {
        await using var telegram = new FakeTelegramServer();
        await telegram.StartAsync();
        await using var model = new FakeOpenAiServer { LatencyMs = 120_000 }; // slow: nothing is answered before the kill
        await model.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "openclaw-tests", "restart-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = dataDirectory,
            ["Hub:NodeId"] = "restart",
            ["Hub:AdminToken"] = AdminToken,
            ["Hub:StaleSessionMs"] = "2000",
            ["Hub:LockLeaseMs"] = "2000",
            // The restarted hub has the same node id, so the killed process's runs count as dead once its Hangfire server
            // missed three heartbeats: 3 s here instead of the default 15 s.
            ["Hub:JobServerHeartbeatMs"] = "1000",
            ["Channels:Telegram:BotToken"] = telegram.BotToken,
            ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Channels:Telegram:Mode"] = "Polling",
            ["Channels:Telegram:PollingTimeoutSeconds"] = "1",
            ["Channels:Telegram:WebhookSecret"] = TelegramHub.Secret,
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-test-key",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var updates = Enumerable.Range(0, Messages)
            .Select(i => TelegramUpdates.Text(FirstUpdateId + i, 7_001 + i, 7_001 + i, "m" + i.ToString(CultureInfo.InvariantCulture)))
            .ToList();

        try
        {
            // 1. Polling: a cron job, then 40 updates that the hub acknowledges to Telegram (offset confirmed); then SIGKILL
            //    while the model is still thinking.
            await using (var first = await HubProcess.StartAsync(settings, Wait))
            {
                first.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
                // Interval fire times are multiples of the interval since the epoch: 3,600 fired at the top of the hour in
                // the middle of a CI run; 2,000,000,000 s next fires in 2033.
                var job = new { id = "keep", intervalSeconds = 2_000_000_000, prompt = "hello", target = new { channel = "telegram", accountId = telegram.BotId.ToString(CultureInfo.InvariantCulture), chatId = "8" } };
                Assert.Equal(HttpStatusCode.Created, (await first.Http.PostAsJsonAsync("/api/cron/jobs", job)).StatusCode);
                foreach (var update in updates)
                {
                    telegram.EnqueueUpdate(update);
                }

                await telegram.WaitForConfirmedOffsetAsync(FirstUpdateId + Messages, Wait);
                await model.WaitForRequestsAsync(1, Wait);
                first.Kill();
            }

            Assert.Empty(telegram.SentMessages);
            var killedAt = DateTimeOffset.UtcNow;
            model.LatencyMs = 0;

            // 2. Restart on the same data directory: polling resumes at the persisted offset, all 40 are answered, the cron
            //    job is still there.
            await using (var second = await HubProcess.StartAsync(settings, Wait))
            {
                await telegram.WaitForMessagesAsync(Messages, Wait);
                var poll = telegram.Requests.First(r => r.Method == "getUpdates" && r.ReceivedAt > killedAt);
                Assert.Equal(FirstUpdateId + Messages, poll.Parameters["offset"]?.GetValue<long>());

                second.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
                var kept = await second.Http.GetFromJsonAsync<JsonObject>("/api/cron/jobs/keep");
                Assert.Equal(2_000_000_000, kept!["intervalSeconds"]!.GetValue<int>());
                second.Kill();
            }

            // 3. Restart once more, now taking webhooks: Telegram redelivers the same 40 updates; each is acknowledged and
            //    none is answered again. A new update is the marker that the hub is working.
            settings["Channels:Telegram:Mode"] = "Webhook";
            await using (var third = await HubProcess.StartAsync(settings, Wait))
            {
                foreach (var update in updates)
                {
                    Assert.Equal(HttpStatusCode.OK, await PostWebhookAsync(third, update));
                }

                Assert.Equal(HttpStatusCode.OK, await PostWebhookAsync(third, TelegramUpdates.Text(FirstUpdateId + 100, 7_100, 7_100, "after")));
                var sent = await telegram.WaitForMessagesAsync(Messages + 1, Wait);
                Assert.Contains(sent, m => m.PlainText == "answer: after");
            }

            var answers = telegram.SentMessages.Select(m => m.PlainText).ToList();
            Assert.Equal(Messages + 1, answers.Count);
            for (var i = 0; i < Messages; i++)
            {
                Assert.Single(answers, a => a == "answer: m" + i.ToString(CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    /// <summary>Posts <paramref name="updateJson"/> to the hub's Telegram webhook with <see cref="TelegramHub.Secret"/>.</summary>
    internal static async Task<HttpStatusCode> PostWebhookAsync(HubProcess hub, string updateJson)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(updateJson, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramHub.Secret);
        using var response = await hub.Http.SendAsync(request);
        return response.StatusCode;
    }
}
