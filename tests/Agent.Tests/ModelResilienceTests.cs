using System.Diagnostics;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Fakes.OpenAi;

namespace OpenClaw.Channels.Tests;

public sealed class ModelResilienceTests
{
    private const string Session = "agent:main:telegram:direct:7";

    [Fact]
    public async Task TwoServerErrors_ThenSuccess_GivesOneAnswer_AfterExactlyThreeRequests()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "3" });
        h.Server.Enqueue(FakeChatResponse.Error(500));
        h.Server.Enqueue(FakeChatResponse.Error(500));

        var result = await h.RunAsync(Session, "are you there?");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal("answer: are you there?", result.Text);
        Assert.Equal(1, result.Iterations);
        Assert.Equal(3, h.Server.RequestCount);
        Assert.Equal([500, 500, 200], h.Server.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task ModelDown_ReturnsModelFailed_AfterMaxRetriesPlusOneRequests_WithoutThrowing()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "2" });
        h.Server.DefaultResponder = _ => FakeChatResponse.Error(503);

        var result = await h.RunAsync(Session, "hello");

        Assert.Equal(AgentRunStatus.ModelFailed, result.Status);
        Assert.Equal("Sorry — the model is unavailable right now (HTTP 503). Please try again later.", result.Text);
        Assert.Contains("503", result.Error);
        Assert.Equal(3, h.Server.RequestCount); // the retries run inside the run: once it returned, none can follow
        Assert.Equal(0, await h.Transcripts.CountAsync(Session, AgentHarness.Timeout()));
    }

    [Fact]
    public async Task MaxRetriesZero_MakesExactlyOneRequest()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "0" });
        h.Server.DefaultResponder = _ => FakeChatResponse.Error(500);

        var result = await h.RunAsync(Session, "hello");

        Assert.Equal(AgentRunStatus.ModelFailed, result.Status);
        Assert.Equal(1, h.Server.RequestCount);
    }

    [Fact]
    public async Task ClientError_IsNotRetried()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "3" });
        h.Server.Enqueue(FakeChatResponse.Error(400, message: "bad request"));

        var result = await h.RunAsync(Session, "hello");

        Assert.Equal(AgentRunStatus.ModelFailed, result.Status);
        Assert.Contains("HTTP 400", result.Text);
        Assert.Equal(1, h.Server.RequestCount);
    }

    [Fact]
    public async Task TooManyRequests_RetryAfterIsHonoured()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "3", ["RetryBaseDelayMs"] = "10" });
        h.Server.Enqueue(FakeChatResponse.Error(429, retryAfter: TimeSpan.FromSeconds(1), message: "Rate limit reached"));

        var result = await h.RunAsync(Session, "hello");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        var requests = h.Server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(429, requests[0].StatusCode);
        var waited = Stopwatch.GetElapsedTime(requests[0].EndTimestamp, requests[1].StartTimestamp);
        Assert.True(waited >= TimeSpan.FromMilliseconds(900), $"retried after {waited.TotalMilliseconds} ms, Retry-After was 1 s");
    }

    [Fact]
    public async Task SlowAttempt_IsCutAtRequestTimeout_AndRetried()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "1", ["RequestTimeoutSeconds"] = "1" });
        h.Server.Enqueue(FakeChatResponse.Answer("too late") with { DelayMs = 15_000 });

        var result = await h.RunAsync(Session, "slow model");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal("answer: slow model", result.Text);
        Assert.Equal(2, h.Server.RequestCount);
    }

    [Fact]
    public async Task ModelAlwaysTooSlow_ReturnsModelFailedTimeout()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "0", ["RequestTimeoutSeconds"] = "1" });
        h.Server.LatencyMs = 15_000;

        var result = await h.RunAsync(Session, "slow model");

        Assert.Equal(AgentRunStatus.ModelFailed, result.Status);
        Assert.Equal("Sorry — the model is unavailable right now (timeout). Please try again later.", result.Text);
    }

    [Fact]
    public async Task ApiKey_IsSentAsBearer_AndNeverAppearsInResultsOrLogs()
    {
        const string key = "sk-test-SECRET-0123456789";
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["ApiKey"] = key, ["MaxRetries"] = "1" });
        await h.RunAsync(Session, "hi");
        h.Server.Enqueue(FakeChatResponse.Error(401, message: $"Incorrect API key provided: {key}."));
        h.Server.DefaultResponder = _ => FakeChatResponse.Error(500, message: $"internal error for key {key}");

        var rejected = await h.RunAsync(Session, "again");
        var failed = await h.RunAsync(Session, "once more");

        Assert.Equal($"Bearer {key}", h.Server.Requests[0].Authorization);
        Assert.All(h.Server.Requests, r => Assert.Equal($"Bearer {key}", r.Authorization));
        Assert.Equal(AgentRunStatus.ModelFailed, rejected.Status);
        Assert.Contains("HTTP 401", rejected.Text);
        Assert.Equal(AgentRunStatus.ModelFailed, failed.Status);
        foreach (var text in new[] { rejected.Text, rejected.Error, failed.Text, failed.Error })
        {
            Assert.DoesNotContain(key, text ?? string.Empty, StringComparison.Ordinal);
        }

        Assert.NotEmpty(h.LogLines);
        Assert.DoesNotContain(h.LogLines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmptyApiKey_StillSendsAPlaceholderBearer()
    {
        await using var h = await AgentHarness.StartAsync();

        var result = await h.RunAsync(Session, "hi");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.StartsWith("Bearer ", h.Server.Requests[0].Authorization);
    }

    [Fact]
    public async Task ByDefault_NoCapOfOurs_SixtyfourCallsOverlap()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?>());
        h.Server.LatencyMs = 500;

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => h.RunAsync($"agent:main:telegram:direct:{i}", $"question {i}")));

        Assert.All(results, r => Assert.Equal(AgentRunStatus.Completed, r.Status));
        Assert.True(h.Server.MaxInFlight > 32, $"max in flight was {h.Server.MaxInFlight}");
    }

    [Fact]
    public async Task ProviderSaysNoRequestsRemain_NewCallsWaitForItsReset()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?>());
        h.Server.Enqueue(FakeChatResponse.Answer("first") with
        {
            Headers = new Dictionary<string, string> { ["x-ratelimit-remaining-requests"] = "0", ["x-ratelimit-reset-requests"] = "1.2s" },
        });

        var first = await h.RunAsync("agent:main:telegram:direct:1", "one");
        var started = Stopwatch.GetTimestamp();
        var second = await h.RunAsync("agent:main:telegram:direct:2", "two");

        Assert.Equal("first", first.Text);
        Assert.Equal(AgentRunStatus.Completed, second.Status);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.1), $"the second call went out after {Stopwatch.GetElapsedTime(started)}");
        Assert.True(h.Server.Requests[1].StartedAt - h.Server.Requests[0].StartedAt >= TimeSpan.FromSeconds(1.1));
    }

    [Fact]
    public async Task TooManyRequestsWithRetryAfter_PausesOtherCallsToo()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "0" });
        h.Server.Enqueue(FakeChatResponse.Error(429) with { RetryAfter = TimeSpan.FromSeconds(1) });

        var limited = await h.RunAsync("agent:main:telegram:direct:1", "one");
        var started = Stopwatch.GetTimestamp();
        var other = await h.RunAsync("agent:main:telegram:direct:2", "two");

        Assert.Equal(AgentRunStatus.ModelFailed, limited.Status);
        Assert.Equal(AgentRunStatus.Completed, other.Status);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), $"the other call went out after {Stopwatch.GetElapsedTime(started)}");
    }

    [Fact]
    public async Task MaxConcurrencyOne_NeverHasTwoRequestsInFlight()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxConcurrency"] = "1" });
        h.Server.LatencyMs = 150;

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => h.RunAsync($"agent:main:telegram:direct:{i}", $"question {i}")));

        Assert.All(results, r => Assert.Equal(AgentRunStatus.Completed, r.Status));
        Assert.Equal(4, h.Server.RequestCount);
        Assert.Equal(1, h.Server.MaxInFlight);
    }

    [Fact]
    public async Task MaxConcurrencyFour_LetsRequestsOverlap()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxConcurrency"] = "4" });
        h.Server.LatencyMs = 500;

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => h.RunAsync($"agent:main:telegram:direct:{i}", $"question {i}")));

        Assert.All(results, r => Assert.Equal(AgentRunStatus.Completed, r.Status));
        Assert.True(h.Server.MaxInFlight >= 2, $"max in flight was {h.Server.MaxInFlight}");
        Assert.Equal(1, h.Server.MaxConcurrencyBy(r => r.FirstUserText));
    }

    [Fact]
    public async Task RequestsPerMinute_QueuesCallsBeyondTheBucket()
    {
        // 6 per minute: a burst of 1 token, then one every 10 s; the second call must wait (cancelled here after 1 s).
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["RequestsPerMinute"] = "6" });
        var first = await h.RunAsync(Session, "one");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Runner.RunAsync(new AgentRunRequest { SessionKey = Session, Messages = [AgentHarness.Message("two")] }, cts.Token));

        Assert.Equal(AgentRunStatus.Completed, first.Status);
        Assert.Equal(1, h.Server.RequestCount);
    }

    [Fact]
    public async Task LimiterQueueFull_ReturnsModelFailedBusy()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxConcurrency"] = "1", ["MaxQueuedRequests"] = "0" });
        h.Server.LatencyMs = 500;

        var slow = h.RunAsync("agent:main:telegram:direct:1", "first");
        await h.Server.WaitForRequestsAsync(1, TimeSpan.FromSeconds(5));
        var rejected = await h.RunAsync("agent:main:telegram:direct:2", "second");

        Assert.Equal(AgentRunStatus.ModelFailed, rejected.Status);
        Assert.Contains("busy", rejected.Text);
        Assert.Equal(AgentRunStatus.Completed, (await slow).Status);
        Assert.Equal(1, h.Server.RequestCount);
    }
}
