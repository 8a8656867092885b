using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.Dashboard;
using OpenClaw.Channels.Tests.EndToEnd;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Lifecycle;

/// <summary>Operator paths on the Redis code path: requeueing a failed run through Hangfire's API answers the failed
/// message; dead letters are listed and replayed through the HTTP API and the dashboard page.</summary>
public class RequeueAndDeadLetterTests(TestRedis redis, ITestOutputHelper output) : IClassFixture<TestRedis>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RequeueOfAFailedRun_FromTheHangfireApi_AnswersTheMessageThatFailed()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s =>
        {
            s["Agent:MaxRetries"] = "0";
        }, model: m => m.Enqueue(Fakes.OpenAi.FakeChatResponse.Error(500)));
        await t.PostOkAsync(TelegramUpdates.Text(31_001, 310, 310, "please answer"));

        var error = await t.Telegram.WaitForMessagesAsync(1, Wait); // the one short error reply
        var storage = TelegramHub.Jobs(t.Hub);
        var failedId = await WaitForAsync(() => storage.GetMonitoringApi().FailedJobs(0, 10).Select(j => j.Key).FirstOrDefault());
        var details = storage.GetMonitoringApi().JobDetails(failedId);
        Assert.Contains("telegram", details.Job.Method.Name == "RunAsync" ? (string)details.Job.Args[1] : "", StringComparison.Ordinal);

        Assert.True(new BackgroundJobClient(storage).Requeue(failedId));

        var sent = await t.Telegram.WaitForMessagesAsync(2, Wait);
        Assert.Equal("answer: please answer", sent[1].PlainText);
        Assert.NotEqual(sent[0].PlainText, sent[1].PlainText);
        var state = await WaitForAsync(() => storage.GetMonitoringApi().JobDetails(failedId).History.FirstOrDefault()?.StateName is "Succeeded" ? "Succeeded" : null);
        var result = storage.GetMonitoringApi().JobDetails(failedId).History[0].Data["Result"];
        Assert.Contains("\"Outcome\":\"answered\"", result, StringComparison.Ordinal); // the job page says what the run did
        Assert.Equal("Succeeded", state);
        Assert.Equal(2, t.Telegram.SentMessages.Count);
        _ = error;
    }

    [Fact]
    public async Task PlatformRefusingTheContent_DeadLettersAfterBoundedAttempts_ListedAndReplayedOverHttp()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["Hub:MaxMessageAttempts"] = "2");
        t.Telegram.FailNext("sendMessage", 400, "Bad Request: message is too long", times: 2);
        await t.PostOkAsync(TelegramUpdates.Text(32_001, 320, 320, "poison"));

        var letters = await WaitForAsync(async () =>
        {
            var list = await t.Hub.Http.GetFromJsonAsync<JsonElement>("/api/deadletters");
            return list.GetArrayLength() > 0 ? list : (JsonElement?)null;
        });
        var letter = letters[0];
        Assert.Contains("turn failed 2 times", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("telegram", letter.GetProperty("channel").GetString());
        Assert.Equal(2, t.Model.RequestCount);
        Assert.Empty(t.Telegram.SentMessages);

        var page = await t.Hub.Http.GetStringAsync("/hangfire/deadletters");
        Assert.Contains("Dead letters", page, StringComparison.Ordinal);
        Assert.Contains("poison", page, StringComparison.Ordinal);
        await ChromiumScreenshot.TakeAsync(t.Hub.BaseUrl + "/hangfire/deadletters", "dashboard-deadletters.png", output);

        var id = letter.GetProperty("id").GetString()!;
        using var replay = await t.Hub.Http.PostAsync($"/api/deadletters/{id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var sent = await t.Telegram.WaitForMessagesAsync(1, Wait);
        Assert.Equal("answer: poison", sent[0].PlainText);
        Assert.Equal(0, (await t.Hub.Http.GetFromJsonAsync<JsonElement>("/api/deadletters")).GetArrayLength());
        using var again = await t.Hub.Http.PostAsync($"/api/deadletters/{id}/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task DeadLetterApi_WithAnAdminToken_RefusesRequestsWithoutIt()
    {
        await using var t = await TelegramHub.StartAsync(redis, configure: s => s["Hub:AdminToken"] = "admin-secret-1");
        using var anonymous = await t.Hub.Http.GetAsync("/api/deadletters");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/deadletters");
        request.Headers.Authorization = new("Bearer", "admin-secret-1");
        using var authorized = await t.Hub.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
    {
        T? value = default;
        await Eventually.UntilAsync(() => (value = probe()) is not null, Wait);
        return value!;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : struct
    {
        T? value = null;
        await Eventually.UntilAsync(async () => (value = await probe()) is not null, Wait);
        return value!.Value;
    }
}
