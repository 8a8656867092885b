using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenClaw.Channels.Cron;

namespace OpenClaw.Channels.Tests.Cron;

public class CronApiTests(TestRedis redis) : IClassFixture<TestRedis>
{
    private const string Token = "s3cret-admin-token";

    public static TheoryData<string> Stores => new() { "redis", "embedded" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Crud_RequiresTheAdminToken_AndRejectsInvalidJobsWithoutSaving(string store)
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("api", store == "redis" ? redis : null, new Dictionary<string, string?> { ["Hub:AdminToken"] = Token });

        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Client.GetAsync("/api/cron/jobs")).StatusCode);
        node.UseToken("wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Client.GetAsync("/api/cron/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.PostJobAsync(new { id = "x", intervalSeconds = 60, prompt = "p" })).StatusCode);
        node.UseToken(Token);
        Assert.Empty((await node.Client.GetFromJsonAsync<List<CronJobDefinition>>("/api/cron/jobs", CronHubNode.Json))!);

        var job = new { id = "daily", name = "Daily ops", cron = "0 0 9 ? * MON-FRI", timeZone = "Europe/Berlin", prompt = "summarize", target = bed.TelegramTarget("31") };
        var created = await node.PostJobAsync(job);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/cron/jobs/daily", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, (await node.PostJobAsync(job)).StatusCode);
        var listed = (await node.Client.GetFromJsonAsync<List<CronJobDefinition>>("/api/cron/jobs", CronHubNode.Json))!;
        Assert.Equal("daily", Assert.Single(listed).Id);
        Assert.Equal("Europe/Berlin", listed[0].TimeZone);

        await AssertInvalidAsync(node, new { id = "bad", cron = "every monday", prompt = "x" }, "cron");
        await AssertInvalidAsync(node, new { id = "bad", cron = "0 0 9 * * ?", timeZone = "Mars/Olympus", prompt = "x" }, "timeZone");
        await AssertInvalidAsync(node, new { id = "bad", intervalSeconds = 60, prompt = "x", target = new { channel = "pigeon", chatId = "1" } }, "target.channel");
        await AssertInvalidAsync(node, new { id = "bad", intervalSeconds = 60, prompt = "" }, "prompt");
        await AssertInvalidAsync(node, new { id = "bad", cron = "0 0 9 * * ?", intervalSeconds = 60, prompt = "x" }, "schedule");
        await AssertInvalidAsync(node, new { id = "bad", intervalSeconds = 60, prompt = "x", misfire = "sometimes" }, "misfire");
        Assert.Equal(HttpStatusCode.NotFound, (await node.Client.GetAsync("/api/cron/jobs/bad")).StatusCode);

        var badUpdate = await node.PutJobAsync("daily", new { cron = "61 * * * * ?", prompt = "changed" });
        Assert.Equal(HttpStatusCode.BadRequest, badUpdate.StatusCode);
        Assert.Equal("summarize", (await node.Client.GetFromJsonAsync<CronJobDefinition>("/api/cron/jobs/daily", CronHubNode.Json))!.Prompt);

        var updated = await node.PutJobAsync("daily", new { name = "Daily ops", cron = "0 30 9 ? * MON-FRI", timeZone = "Europe/Berlin", prompt = "summarize the night", target = bed.TelegramTarget("31") });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("summarize the night", (await node.Client.GetFromJsonAsync<CronJobDefinition>("/api/cron/jobs/daily", CronHubNode.Json))!.Prompt);
        Assert.Equal(HttpStatusCode.NotFound, (await node.PutJobAsync("missing", new { intervalSeconds = 60, prompt = "x" })).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await node.Client.PostAsync("/api/cron/jobs/daily/run", null)).StatusCode);
        var sent = await bed.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(8));
        Assert.Contains("answer: summarize the night", sent[0].PlainText, StringComparison.Ordinal);
        await node.WaitForRunsAsync("daily", r => r.Count == 1, TimeSpan.FromSeconds(15));
        var runs = (await node.Client.GetFromJsonAsync<List<CronRun>>("/api/cron/jobs/daily/runs", CronHubNode.Json))!;
        var run = Assert.Single(runs);
        Assert.Equal(CronRunStatus.Ok, run.Status);
        Assert.True(run.Manual);
        Assert.True(run.DurationMs >= 0);
        Assert.Equal("api", run.Node);

        Assert.Equal(HttpStatusCode.NoContent, (await node.Client.DeleteAsync("/api/cron/jobs/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Client.GetAsync("/api/cron/jobs/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Client.DeleteAsync("/api/cron/jobs/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Client.PostAsync("/api/cron/jobs/daily/run", null)).StatusCode);
    }

    [Fact]
    public async Task NeverFiringCron_IsRejectedNamingCron_AndFiveFieldCronIsSavedInQuartzForm()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("forms", redis);

        await AssertInvalidAsync(node, new { id = "feb31", cron = "0 0 0 31 2 ?", prompt = "x" }, "cron");
        await AssertInvalidAsync(node, new { id = "past", cron = "0 0 0 1 1 ? 2020", prompt = "x" }, "cron");
        await AssertInvalidAsync(node, new { id = "both", cron = "0 9 1 * 1", prompt = "x" }, "cron");
        Assert.Empty(await node.Store.ListAsync(CancellationToken.None));

        var created = await node.PostJobAsync(new { id = "weekdays", cron = "0 9 * * 1-5", timeZone = "Europe/Berlin", prompt = "standup" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("0 0 9 ? * 2,3,4,5,6", (await created.Content.ReadFromJsonAsync<CronJobDefinition>(CronHubNode.Json))!.Cron);
        Assert.Equal("0 0 9 ? * 2,3,4,5,6", (await node.Store.GetAsync("weekdays", CancellationToken.None))!.Cron);
        Assert.Equal(HttpStatusCode.OK, (await node.PutJobAsync("weekdays", new { cron = "30 17 * * 0", prompt = "weekly" })).StatusCode);
        Assert.Equal("0 30 17 ? * 1", (await node.Store.GetAsync("weekdays", CancellationToken.None))!.Cron);

        // The Quartz form keeps working unchanged.
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "quartz", cron = "0 0 9 ? * MON-FRI", prompt = "standup" })).StatusCode);
        Assert.Equal("0 0 9 ? * MON-FRI", (await node.Store.GetAsync("quartz", CancellationToken.None))!.Cron);
    }

    [Fact]
    public async Task InvalidJobInConfiguration_StopsTheStart_NamingTheField()
    {
        await using var bed = await CronTestBed.StartAsync();
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => bed.StartNodeAsync("bad", null, new Dictionary<string, string?>
        {
            ["Cron:Jobs:0:Id"] = "broken",
            ["Cron:Jobs:0:Cron"] = "0 0 25 * * ?",
            ["Cron:Jobs:0:TimeZone"] = "Europe/Atlantis",
            ["Cron:Jobs:0:Prompt"] = "x",
            ["Cron:Jobs:1:Id"] = "never",
            ["Cron:Jobs:1:Cron"] = "0 0 0 31 2 ?",
            ["Cron:Jobs:1:Prompt"] = "x",
        }));
        Assert.Contains("Cron:Jobs:1:cron: '0 0 0 31 2 ?' never fires", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cron:Jobs:0:cron", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cron:Jobs:0:timeZone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAdminToken_LocalRequestsAreServed()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("local", null);
        Assert.Equal(HttpStatusCode.OK, (await node.Client.GetAsync("/api/cron/jobs")).StatusCode);
    }

    [Fact]
    public async Task WithoutAdminToken_ForwardedRequestsAreForbidden()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("proxied", null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cron/jobs");
        request.Headers.Add("X-Forwarded-For", "203.0.113.5");
        Assert.Equal(HttpStatusCode.Forbidden, (await node.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task EmbeddedStore_KeepsJobsAndHistoryAcrossRestarts()
    {
        await using var bed = await CronTestBed.StartAsync();
        var node = await bed.StartNodeAsync("one", null, dataName: "data");
        // Interval fire times are multiples of the interval since the epoch: 2,000,000,000 s never fires during a test
        // (3,600 would fire at the top of the hour and add a second run).
        Assert.Equal(HttpStatusCode.Created, (await node.PostJobAsync(new { id = "keep", intervalSeconds = 2_000_000_000, prompt = "hello", target = bed.TelegramTarget("8") })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await node.Client.PostAsync("/api/cron/jobs/keep/run", null)).StatusCode);
        await node.WaitForRunsAsync("keep", r => r.Count == 1, TimeSpan.FromSeconds(8));
        await bed.StopNodeAsync(node);

        var again = await bed.StartNodeAsync("two", null, dataName: "data");
        var job = await again.Client.GetFromJsonAsync<CronJobDefinition>("/api/cron/jobs/keep", CronHubNode.Json);
        Assert.Equal(2_000_000_000, job!.IntervalSeconds);
        Assert.Equal(CronRunStatus.Ok, Assert.Single(await again.RunsAsync("keep")).Status);
    }

    private static async Task AssertInvalidAsync(CronHubNode node, object job, string field)
    {
        var response = await node.PostJobAsync(job);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem.RootElement}");
    }
}
