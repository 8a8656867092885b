using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Tests.EndToEnd;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.Lifecycle;

/// <summary>Issue 12, "Dead letters are durable in both modes", for the embedded store (in-process Garnet, append-only
/// file under <c>Hub:DataDirectory</c>): a dead letter outlives a SIGKILL of its hub and is replayed after the restart.
/// The Redis mode is <see cref="RequeueAndDeadLetterTests"/>.</summary>
[TypicalDuration(20)]
public class EmbeddedDeadLetterRestartTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeadLetter_SurvivesASigkilledEmbeddedHub_AndIsReplayedOnceAfterTheRestart()
    {
        await using var telegram = new FakeTelegramServer();
        await telegram.StartAsync();
        await using var model = new FakeOpenAiServer();
        await model.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "openclaw-tests", "deadletters-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = dataDirectory,
            ["Hub:MaxMessageAttempts"] = "2",
            ["Channels:Telegram:BotToken"] = telegram.BotToken,
            ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Channels:Telegram:Mode"] = "Webhook",
            ["Channels:Telegram:WebhookSecret"] = TelegramHub.Secret,
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-test-key",
        };
        try
        {
            // 1. The platform refuses the content twice (a 4xx, deterministic): the message is dead-lettered. SIGKILL.
            telegram.FailNext("sendMessage", 400, "Bad Request: message is too long", times: 2);
            JsonElement letter;
            await using (var first = await HubProcess.StartAsync("deadletters", settings))
            {
                Assert.Equal(HttpStatusCode.OK, await EmbeddedRestartTests.PostWebhookAsync(first, TelegramUpdates.Text(33_001, 330, 330, "poison")));
                letter = await SingleDeadLetterAsync(first);
                await first.KillAsync();
            }

            Assert.Contains("turn failed 2 times", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Empty(telegram.SentMessages);

            // 2. Same data directory: the dead letter is still listed, with its reason and time; a replay answers it once.
            await using var second = await HubProcess.StartAsync("deadletters", settings);
            var kept = await SingleDeadLetterAsync(second);
            foreach (var field in new[] { "id", "sessionKey", "reason", "at" })
            {
                Assert.Equal(letter.GetProperty(field).GetString(), kept.GetProperty(field).GetString());
            }

            using var replay = await second.Http.PostAsync($"/api/deadletters/{kept.GetProperty("id").GetString()}/replay", null);
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            await telegram.WaitForMessagesAsync(1, Wait);
            Assert.Equal(HttpStatusCode.OK, await EmbeddedRestartTests.PostWebhookAsync(second, TelegramUpdates.Text(33_002, 330, 330, "marker")));
            var sent = await telegram.WaitForMessagesAsync(2, Wait); // the marker, queued behind the replay in the same chat
            Assert.Equal(["answer: poison", "answer: marker"], sent.Select(m => m.PlainText));
            Assert.Equal(0, (await second.Http.GetFromJsonAsync<JsonElement>("/api/deadletters")).GetArrayLength());
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

    private static async Task<JsonElement> SingleDeadLetterAsync(HubProcess hub)
    {
        JsonElement list = default;
        await Eventually.UntilAsync(
            async () => (list = await hub.Http.GetFromJsonAsync<JsonElement>("/api/deadletters")).GetArrayLength() > 0,
            Wait,
            () => "a dead letter listed");
        Assert.Equal(1, list.GetArrayLength());
        return list[0];
    }
}
