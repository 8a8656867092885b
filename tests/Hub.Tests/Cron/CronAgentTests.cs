using System.Net;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Tests.Ordering;

namespace OpenClaw.Channels.Tests.Cron;

[TypicalDuration(10)]
public class CronAgentTests(TestRedis redis) : IClassFixture<TestRedis>
{
    /// <summary>An interval that never fires during a test: interval fire times are multiples of the interval since the
    /// epoch, so 3,600 fired at the top of every hour, mid-test (an extra run, an extra model call); 2,000,000,000 s
    /// next fires in 2033.</summary>
    private const int NeverDue = 2_000_000_000;

    [Fact]
    public async Task AskingInChat_ScheduleJobTool_CreatesAJobDeliveringToThatChat()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("chat", redis, telegramPolling: true);
        var arguments = JsonSerializer.Serialize(new { name = "Monday reminder", prompt = "Remind me to plan the week.", cron = "0 0 8 ? * MON", timeZone = "Europe/Berlin" });
        bed.Model.Enqueue(FakeChatResponse.CallTool("schedule_job", arguments));
        bed.Model.Enqueue(r => FakeChatResponse.Answer("Done: " + r.ToolResults.LastOrDefault()?.Content));

        bed.Telegram.EnqueueTextMessage(chatId: 555, fromId: 555, text: "remind me every Monday at 8");
        var reply = Assert.Single(await bed.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));

        Assert.Equal("555", reply.ChatId);
        Assert.Contains("Scheduled job 'Monday reminder'", reply.PlainText, StringComparison.Ordinal);
        Assert.Contains("schedule_job", bed.Model.Requests[0].ToolNames);
        var job = Assert.Single(await node.Store.ListAsync(CancellationToken.None));
        Assert.Equal("0 0 8 ? * MON", job.Cron);
        Assert.Equal("Europe/Berlin", job.TimeZone);
        Assert.Equal("Remind me to plan the week.", job.Prompt);
        Assert.NotNull(job.Target);
        Assert.Equal("telegram", job.Target.Channel);
        Assert.Equal("555", job.Target.ChatId);
        Assert.Equal(bed.AccountId, job.Target.AccountId);
    }

    [Fact]
    public async Task CancelJobTool_CancelsOnlyJobsOfTheAskingChat()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("chat2", redis, telegramPolling: true);
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "mine", intervalSeconds = NeverDue, prompt = "mine", target = bed.TelegramTarget("600") })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "theirs", intervalSeconds = NeverDue, prompt = "theirs", target = bed.TelegramTarget("700") })).StatusCode);

        bed.Model.Enqueue(FakeChatResponse.CallTool("list_jobs"));
        bed.Model.Enqueue(FakeChatResponse.CallTool("cancel_job", "{\"id\":\"theirs\"}"));
        bed.Model.Enqueue(FakeChatResponse.CallTool("cancel_job", "{\"id\":\"mine\"}"));
        bed.Model.Enqueue(r => FakeChatResponse.Answer(string.Join(" | ", r.ToolResults.Select(t => t.Content))));
        bed.Telegram.EnqueueTextMessage(chatId: 600, fromId: 600, text: "cancel my jobs");
        var reply = Assert.Single(await bed.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));

        Assert.Contains("mine: mine", reply.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("theirs: theirs", reply.PlainText, StringComparison.Ordinal);
        Assert.Contains("No job with id theirs posts to this chat", reply.PlainText, StringComparison.Ordinal);
        Assert.Contains("Cancelled job 'mine'", reply.PlainText, StringComparison.Ordinal);
        Assert.Equal("theirs", Assert.Single(await node.Store.ListAsync(CancellationToken.None)).Id);
    }

    [Fact]
    public async Task ScheduleJobTool_AtWithoutOffset_IsReadInTheToolsTimeZone()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("at-zone", redis, telegramPolling: true);
        var year = DateTime.UtcNow.Year + 1;
        bed.Model.Enqueue(FakeChatResponse.CallTool("schedule_job", JsonSerializer.Serialize(new { name = "winter", prompt = "p", at = $"{year}-01-05T09:00:00", timeZone = "Europe/Berlin" })));
        bed.Model.Enqueue(FakeChatResponse.CallTool("schedule_job", JsonSerializer.Serialize(new { name = "summer", prompt = "p", at = $"{year}-07-05T09:00:00", timeZone = "Europe/Berlin" })));
        bed.Model.Enqueue(FakeChatResponse.CallTool("schedule_job", JsonSerializer.Serialize(new { name = "offset", prompt = "p", at = $"{year}-07-05T09:00:00+05:00", timeZone = "Europe/Berlin" })));
        bed.Model.Enqueue(FakeChatResponse.CallTool("schedule_job", JsonSerializer.Serialize(new { name = "gap", prompt = "p", at = $"{year}-03-28T02:30:00", timeZone = "Europe/Berlin" })));
        bed.Model.Enqueue(r => FakeChatResponse.Answer(string.Join(" | ", r.ToolResults.Select(t => t.Content))));

        bed.Telegram.EnqueueTextMessage(chatId: 556, fromId: 556, text: "remind me at 9");
        var reply = Assert.Single(await bed.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(15)));

        var jobs = (await node.Store.ListAsync(CancellationToken.None)).ToDictionary(j => j.Name!);
        Assert.Equal(new DateTimeOffset(year, 1, 5, 8, 0, 0, TimeSpan.Zero), jobs["winter"].At); // CET, UTC+1
        Assert.Equal(new DateTimeOffset(year, 7, 5, 7, 0, 0, TimeSpan.Zero), jobs["summer"].At); // CEST, UTC+2
        Assert.Equal(new DateTimeOffset(year, 7, 5, 4, 0, 0, TimeSpan.Zero), jobs["offset"].At); // an explicit offset wins
        if (new DateTime(year, 3, 28, 2, 30, 0) is var gap && TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").IsInvalidTime(gap))
        {
            Assert.False(jobs.ContainsKey("gap"));
            Assert.Contains("Error in 'at'", reply.PlainText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListAndCancelFromChat_SeeApiJobsCreatedWithoutAccountId()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("no-account", redis, telegramPolling: true);
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "api-job", intervalSeconds = NeverDue, prompt = "from the api", target = new { channel = "telegram", chatId = "610" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "other-chat", intervalSeconds = NeverDue, prompt = "elsewhere", target = new { channel = "telegram", chatId = "611" } })).StatusCode);

        bed.Model.Enqueue(FakeChatResponse.CallTool("list_jobs"));
        bed.Model.Enqueue(FakeChatResponse.CallTool("cancel_job", "{\"id\":\"api-job\"}"));
        bed.Model.Enqueue(r => FakeChatResponse.Answer(string.Join(" | ", r.ToolResults.Select(t => t.Content))));
        bed.Telegram.EnqueueTextMessage(chatId: 610, fromId: 610, text: "what is scheduled here?");
        var reply = Assert.Single(await bed.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(15)));

        Assert.Contains("api-job: api-job", reply.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("other-chat", reply.PlainText, StringComparison.Ordinal);
        Assert.Contains("Cancelled job 'api-job'", reply.PlainText, StringComparison.Ordinal);
        Assert.Equal("other-chat", Assert.Single(await node.Store.ListAsync(CancellationToken.None)).Id);
    }

    [Theory]
    [InlineData("persistent", true)]
    [InlineData("isolated", false)]
    public async Task SessionMode_DecidesWhetherTheNextRunSeesThePreviousOne(string session, bool remembers)
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("sessions", redis);
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "diary", intervalSeconds = NeverDue, prompt = "write the diary", session, sessionName = "diary-book" })).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await node.Client.PostAsync("/api/cron/jobs/diary/run", null)).StatusCode);
        await node.WaitForRunsAsync("diary", r => r.Count == 1, TimeSpan.FromSeconds(8));
        Assert.Equal(HttpStatusCode.Accepted, (await node.Client.PostAsync("/api/cron/jobs/diary/run", null)).StatusCode);
        var runs = await node.WaitForRunsAsync("diary", r => r.Count == 2, TimeSpan.FromSeconds(8));

        Assert.All(runs, r => Assert.Equal(CronRunStatus.Ok, r.Status));
        var second = bed.Model.Requests[1];
        Assert.Equal(remembers, second.Messages.Any(m => m.Role == "assistant" && m.Content == "answer: write the diary"));
        if (remembers)
        {
            Assert.All(runs, r => Assert.Equal("agent:main:cron:diary-book", r.SessionKey));
        }
        else
        {
            Assert.NotEqual(runs[0].SessionKey, runs[1].SessionKey);
            Assert.All(runs, r => Assert.StartsWith("agent:main:cron:diary:", r.SessionKey, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RunStillGoing_NextFiresAreRecordedAsSkippedOverlap_AndNeverRunConcurrently()
    {
        await using var bed = await CronTestBed.StartAsync();
        bed.Model.LatencyMs = 2500;
        var node = await bed.StartNodeAsync("slow", redis, new Dictionary<string, string?> { ["Cron:Concurrency"] = "3" });
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "slow", cron = "* * * * * ?", prompt = "think long", target = bed.TelegramTarget("12") })).StatusCode);

        var runs = await node.WaitForRunsAsync("slow", r => r.Any(x => x.Status == CronRunStatus.Ok) && r.Count(x => x.Status == CronRunStatus.SkippedOverlap) >= 1, TimeSpan.FromSeconds(8));
        Assert.Equal(1, bed.Model.MaxInFlight);
        Assert.All(runs.Where(r => r.Status == CronRunStatus.SkippedOverlap), r => Assert.Null(r.SessionKey));

        // In the Hangfire dashboard a skipped fire is Deleted with the reason, not Succeeded.
        var skipped = runs.Count(r => r.Status == CronRunStatus.SkippedOverlap);
        var monitor = node.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.UntilAsync(() => monitor.DeletedListCount() >= skipped, TimeSpan.FromSeconds(10), () => $"{monitor.DeletedListCount()} deleted jobs for {skipped} skipped fires");

        var deleted = monitor.DeletedJobs(0, 100);
        Assert.All(deleted, d => Assert.Contains("skipped-overlap", monitor.JobDetails(d.Key).History[0].Reason, StringComparison.Ordinal));
        var succeededFires = monitor.SucceededJobs(0, 100).Select(j => (string)j.Value.Job.Args[2]).ToList();
        var okFires = (await node.RunsAsync("slow")).Where(r => r.Status == CronRunStatus.Ok).Select(r => r.FireTimeUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(succeededFires, f => Assert.Contains(f, okFires));
        var page = await node.Client.GetStringAsync("/hangfire/jobs/deleted");
        Assert.Contains("cron slow @ ", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxRuntime_CancelsTheRun_AndRecordsTheFailure()
    {
        await using var bed = await CronTestBed.StartAsync();
        bed.Model.LatencyMs = 4000;
        var node = await bed.StartNodeAsync("limit", redis);
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "short", intervalSeconds = NeverDue, prompt = "too slow", maxRuntimeSeconds = 1, target = bed.TelegramTarget("13") })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await node.Client.PostAsync("/api/cron/jobs/short/run", null)).StatusCode);

        var run = Assert.Single(await node.WaitForRunsAsync("short", r => r.Count == 1, TimeSpan.FromSeconds(6)));
        Assert.Equal(CronRunStatus.Failed, run.Status);
        Assert.Contains("max runtime", run.Error, StringComparison.Ordinal);
        Assert.True(run.DurationMs < 3500, $"took {run.DurationMs} ms");
        Assert.Empty(bed.SentTo("13"));
    }
}
