using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Fakes.OpenAi;

namespace OpenClaw.Channels.Tests;

public sealed class AgentRunnerTests
{
    private const string Session = "agent:main:telegram:direct:42";

    [Fact]
    public async Task Answer_IsReturned_AndTurnAppendedToJsonlTranscript()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["SystemPrompt"] = "You are a test bot." });

        var result = await h.RunAsync(Session, "hello there");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal("answer: hello there", result.Text);
        Assert.Equal(1, result.Iterations);

        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("test-model", request.Model);
        Assert.Equal("system", request.Messages[0].Role);
        Assert.Equal("You are a test bot.", request.Messages[0].Content);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Contains("current_time", request.ToolNames);
        Assert.Contains("session_status", request.ToolNames);

        var file = Assert.Single(Directory.GetFiles(h.TranscriptDirectory, "*.jsonl"));
        Assert.Equal("agent%3Amain%3Atelegram%3Adirect%3A42.jsonl", Path.GetFileName(file));
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(2, lines.Length);
        AssertLine(lines[0], "user", "hello there");
        AssertLine(lines[1], "assistant", "answer: hello there");
        Assert.Equal(2, await h.Transcripts.CountAsync(Session, AgentHarness.Timeout()));
    }

    [Fact]
    public async Task EndpointWithTrailingSlash_Works()
    {
        await using var h = await AgentHarness.StartAsync();
        await using var h2 = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Endpoint"] = h.Server.ApiBaseUrl + "/" });

        var result = await h2.RunAsync(Session, "slash");

        Assert.Equal("answer: slash", result.Text);
        Assert.Equal(1, h.Server.RequestCount);
    }

    [Fact]
    public async Task History_IsSentToTheModelOnTheNextTurn()
    {
        await using var h = await AgentHarness.StartAsync();

        await h.RunAsync(Session, "first");
        var second = await h.RunAsync(Session, "second");

        Assert.Equal("answer: second", second.Text);
        var request = h.Server.Requests[1];
        Assert.Equal(["system", "user", "assistant", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal(["first", "answer: first", "second"], request.Messages.Skip(1).Select(m => m.Content));
    }

    [Fact]
    public async Task History_IsLimitedToHistoryEntries()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["HistoryEntries"] = "2" });

        await h.RunAsync(Session, "one");
        await h.RunAsync(Session, "two");
        await h.RunAsync(Session, "three");

        var request = h.Server.Requests[2];
        Assert.Equal(["two", "answer: two", "three"], request.Messages.Skip(1).Select(m => m.Content));
    }

    [Fact]
    public async Task Reset_StartsAFreshTranscript_AndArchivesTheOldFile()
    {
        await using var h = await AgentHarness.StartAsync();
        await h.RunAsync(Session, "remember me");

        await h.Transcripts.ResetAsync(Session, AgentHarness.Timeout());
        await h.RunAsync(Session, "who am I");

        var request = h.Server.Requests[1];
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal(2, await h.Transcripts.CountAsync(Session, AgentHarness.Timeout()));
        var archive = Assert.Single(Directory.GetFiles(h.TranscriptDirectory, "*.jsonl.reset.*"));
        Assert.Contains("remember me", await File.ReadAllTextAsync(archive));
    }

    [Fact]
    public async Task SessionsAreSeparate()
    {
        await using var h = await AgentHarness.StartAsync();

        await h.RunAsync(Session, "for session one");
        await h.RunAsync("agent:main:slack:group:C024BE91L:thread:1712345678.000100", "for session two");

        Assert.Equal(["system", "user"], h.Server.Requests[1].Messages.Select(m => m.Role));
        Assert.Equal(2, Directory.GetFiles(h.TranscriptDirectory, "*.jsonl").Length);
    }

    [Fact]
    public async Task ToolCall_RoundTrip_ModelSeesToolResult_ThenAnswers()
    {
        await using var h = await AgentHarness.StartAsync();
        h.Server.Enqueue(FakeChatResponse.CallTool("current_time", """{"timeZone":"Europe/Berlin"}""", id: "call_time1"));
        h.Server.Enqueue(r => FakeChatResponse.Answer("Tool said: " + r.ToolResults.Single().Content));

        var result = await h.RunAsync(Session, "what time is it in Berlin?");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal(2, result.Iterations);
        Assert.Equal(2, h.Server.RequestCount);
        var second = h.Server.Requests[1];
        var assistant = second.Messages.Single(m => m.Role == "assistant");
        var call = Assert.Single(assistant.Calls);
        Assert.Equal(("call_time1", "current_time"), (call.Id, call.Name));
        var tool = Assert.Single(second.ToolResults);
        Assert.Equal("call_time1", tool.ToolCallId);

        using var json = JsonDocument.Parse(tool.Content!);
        Assert.Equal("Europe/Berlin", json.RootElement.GetProperty("timeZone").GetString());
        var time = DateTimeOffset.Parse(json.RootElement.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(berlin.GetUtcOffset(time), time.Offset);
        Assert.InRange(time - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(-1), TimeSpan.FromMinutes(1));
        Assert.StartsWith("Tool said: {", result.Text);

        // Only the user message and the final answer reach the transcript.
        Assert.Equal(2, await h.Transcripts.CountAsync(Session, AgentHarness.Timeout()));
    }

    [Fact]
    public async Task CurrentTimeTool_UsesConfiguredZoneByDefault_AndReportsUnknownZones()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["TimeZone"] = "America/New_York" });
        h.Server.Enqueue(FakeChatResponse.CallTools(new FakeToolCall("call_1", "current_time"), new FakeToolCall("call_2", "current_time", """{"timeZone":"Mars/Base"}""")));

        await h.RunAsync(Session, "time?");

        var results = h.Server.Requests[1].ToolResults.ToDictionary(m => m.ToolCallId!, m => m.Content!);
        using var json = JsonDocument.Parse(results["call_1"]);
        Assert.Equal("America/New_York", json.RootElement.GetProperty("timeZone").GetString());
        Assert.Contains("Unknown time zone 'Mars/Base'", results["call_2"]);
    }

    [Fact]
    public async Task SessionStatusTool_ReportsSessionKeyModelAndTranscriptCount()
    {
        await using var h = await AgentHarness.StartAsync();
        await h.RunAsync(Session, "warm up");
        h.Server.Enqueue(FakeChatResponse.CallTool("session_status"));
        h.Server.Enqueue(r => FakeChatResponse.Answer(r.ToolResults.Single().Content!));

        var result = await h.RunAsync(Session, "status?");

        using var json = JsonDocument.Parse(result.Text);
        Assert.Equal(Session, json.RootElement.GetProperty("sessionKey").GetString());
        Assert.Equal("test-model", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("transcriptEntries").GetInt32());
    }

    [Fact]
    public async Task FailingAndUnknownTools_AreReportedToTheModelAsErrorText()
    {
        await using var h = await AgentHarness.StartAsync(
            new Dictionary<string, string?> { ["ToolTimeoutSeconds"] = "1" },
            services => services.AddSingleton<IAgentToolProvider>(new TestToolProvider()));
        h.Server.Enqueue(FakeChatResponse.CallTools(
            new FakeToolCall("call_a", "explode"),
            new FakeToolCall("call_b", "no_such_tool"),
            new FakeToolCall("call_c", "sleepy")));

        var result = await h.RunAsync(Session, "try the tools");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        var results = h.Server.Requests[1].ToolResults.ToDictionary(m => m.ToolCallId!, m => m.Content!);
        Assert.Contains("boom: the tool broke", results["call_a"]);
        Assert.StartsWith("Error", results["call_a"]);
        Assert.Contains("no tool named 'no_such_tool'", results["call_b"]);
        Assert.Contains("timed out", results["call_c"]);
    }

    [Fact]
    public async Task MaxIterationsReached_ReturnsIterationLimit()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxIterations"] = "3" });
        h.Server.DefaultResponder = _ => FakeChatResponse.CallTool("current_time");

        var result = await h.RunAsync(Session, "loop forever");

        Assert.Equal(AgentRunStatus.IterationLimit, result.Status);
        Assert.Equal(3, result.Iterations);
        Assert.Equal(3, h.Server.RequestCount);
        Assert.Contains("3 steps", result.Text);
    }

    [Fact]
    public async Task NoEndpoint_ReturnsModelNotConfigured_WithoutAnyRequest()
    {
        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Endpoint"] = "" });

        var result = await h.RunAsync(Session, "hello?");

        Assert.Equal(AgentRunStatus.ModelNotConfigured, result.Status);
        Assert.Contains("Agent__Endpoint", result.Text);
        Assert.Contains("Agent:Endpoint", result.Text);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(0, h.Server.RequestCount);
    }

    [Fact]
    public async Task GroupMessages_ArePrefixedWithSender_AndAttachmentsNoted_AndPromptAppended()
    {
        await using var h = await AgentHarness.StartAsync();
        var request = new AgentRunRequest
        {
            SessionKey = "agent:main:telegram:group:-100500",
            Messages =
            [
                AgentHarness.Message("look at this", ChatKind.Group, "Bob", [new Attachment(AttachmentKind.Image, PlatformFileId: "f1")]),
                AgentHarness.Message("", ChatKind.Group, "Carol", [new Attachment(AttachmentKind.File, Name: "report.pdf")]),
            ],
            Prompt = "Summarize the chat.",
        };

        var result = await h.Runner.RunAsync(request, AgentHarness.Timeout());

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        var users = h.Server.Requests[0].Messages.Where(m => m.Role == "user").Select(m => m.Content).ToList();
        Assert.Equal(["Bob: look at this\n[image — not shown: this channel cannot download files]", "Carol: [file: report.pdf]", "Summarize the chat."], users);
    }

    [Fact]
    public async Task Streaming_CallsOnPartialTextWithGrowingText_AndFinalCallEqualsTheAnswer()
    {
        await using var h = await AgentHarness.StartAsync();
        h.Server.StreamChunkDelayMs = 60;
        const string answer = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen.";
        h.Server.Enqueue(FakeChatResponse.Answer(answer));
        var partials = new List<string>();

        var result = await h.RunAsync(Session, "count", (text, _) =>
        {
            lock (partials)
            {
                partials.Add(text);
            }

            return Task.CompletedTask;
        });

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal(answer, result.Text);
        Assert.True(h.Server.Requests[0].Stream);
        Assert.True(partials.Count >= 2, $"expected at least a partial and the final text, got {partials.Count}");
        Assert.Equal(answer, partials[^1]);
        Assert.All(partials, p => Assert.StartsWith(p, answer, StringComparison.Ordinal));
        Assert.True(partials.Count < 14, "partial text calls are throttled, not one per chunk");
    }

    [Fact]
    public async Task Streaming_ToolCallRoundTrip_Works()
    {
        await using var h = await AgentHarness.StartAsync();
        h.Server.Enqueue(FakeChatResponse.CallTool("current_time", """{"timeZone":"Asia/Tokyo"}""", id: "call_s1"));
        h.Server.Enqueue(r => FakeChatResponse.Answer("tool result seen: " + (r.ToolResults.Single().ToolCallId == "call_s1")));
        var partials = new List<string>();

        var result = await h.RunAsync(Session, "time in Tokyo?", (text, _) =>
        {
            partials.Add(text);
            return Task.CompletedTask;
        });

        Assert.Equal("tool result seen: True", result.Text);
        Assert.Contains("Asia/Tokyo", h.Server.Requests[1].ToolResults.Single().Content);
        Assert.Equal(result.Text, partials[^1]);
    }

    [Fact]
    public async Task FailingPartialTextCallback_DoesNotFailTheTurn()
    {
        await using var h = await AgentHarness.StartAsync();

        var result = await h.RunAsync(Session, "hi", (_, _) => throw new InvalidOperationException("edit failed"));

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal("answer: hi", result.Text);
    }

    [Fact]
    public async Task CallerCancellation_Throws()
    {
        await using var h = await AgentHarness.StartAsync();
        h.Server.LatencyMs = 5000;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Runner.RunAsync(new AgentRunRequest { SessionKey = Session, Messages = [AgentHarness.Message("slow")] }, cts.Token));
    }

    private static void AssertLine(string line, string role, string content)
    {
        using var json = JsonDocument.Parse(line);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["role", "content", "timestamp"], names);
        Assert.Equal(role, json.RootElement.GetProperty("role").GetString());
        Assert.Equal(content, json.RootElement.GetProperty("content").GetString());
        var timestamp = json.RootElement.GetProperty("timestamp").GetString()!;
        Assert.EndsWith("Z", timestamp);
        var parsed = DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(parsed, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
