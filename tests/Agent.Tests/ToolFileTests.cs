using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Fakes.OpenAi;

namespace OpenClaw.Channels.Tests;

/// <summary>Issue 17: a tool that returns a file (<c>DataContent</c>) makes the answer carry it; the model gets a short
/// text in its place; the transcript records a reference, not the bytes.</summary>
public sealed class ToolFileTests
{
    private const string Session = "agent:main:telegram:direct:77";

    [Fact]
    public async Task ToolReturningAnImage_AnswerCarriesTheFile_WithTheExactBytes_AndTheModelGetsAText()
    {
        var tools = new FileToolProvider();
        await using var h = await AgentHarness.StartAsync(configure: s => s.AddSingleton<IAgentToolProvider>(tools));
        h.Server.Enqueue(FakeChatResponse.CallTool("draw_chart", id: "call_chart"));
        h.Server.Enqueue(FakeChatResponse.Answer("Here is the chart:\n\n![Sales by month](attachment:chart.png)\n\nSales doubled."));

        var result = await h.RunAsync(Session, "draw the sales chart");

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        var file = Assert.Single(result.Files);
        Assert.Equal("chart.png", file.Name);
        Assert.Equal("image/png", file.MediaType);
        Assert.Equal(tools.Chart, file.Data.ToArray());

        // The model saw a short text naming the file, never the bytes.
        var toolResult = Assert.Single(h.Server.Requests[1].ToolResults);
        Assert.Equal("call_chart", toolResult.ToolCallId);
        Assert.Contains("\"chart.png\" (image/png, 3 KB)", toolResult.Content);
        Assert.Contains("attachment:chart.png", toolResult.Content);
        Assert.DoesNotContain(Convert.ToBase64String(tools.Chart)[..40], toolResult.Content);
        Assert.True(toolResult.Content!.Length < 400);

        // The outbound answer puts the file where the text references it, with the alt text as its description.
        var segments = OutboundSegments.Split(new OutboundMessage { Target = new DeliveryTarget("telegram", "bot1", "77"), Text = result.Text, Files = result.Files });
        Assert.Equal(3, segments.Count);
        Assert.Equal("Here is the chart:", segments[0].Text);
        Assert.Equal(tools.Chart, segments[1].File!.Data.ToArray());
        Assert.Equal("Sales by month", segments[1].File!.Alt);
        Assert.Equal("Sales doubled.", segments[2].Text);

        // The transcript keeps a reference to the file.
        var entries = await h.Transcripts.LoadAsync(Session, 10, AgentHarness.Timeout());
        var answer = entries[^1];
        Assert.Equal("assistant", answer.Role);
        Assert.EndsWith("\n\n[image: chart.png, 3 KB — sent]", answer.Content);
        var transcript = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(h.TranscriptDirectory, "*.jsonl")));
        Assert.DoesNotContain(Convert.ToBase64String(tools.Chart)[..40], transcript);
    }

    [Fact]
    public async Task ToolReturningTextAndAFile_KeepsTheText_AndNamesTheFileAfterTheTool()
    {
        var tools = new FileToolProvider();
        await using var h = await AgentHarness.StartAsync(configure: s => s.AddSingleton<IAgentToolProvider>(tools));
        h.Server.Enqueue(FakeChatResponse.CallTool("export_report"));
        h.Server.Enqueue(FakeChatResponse.Answer("The report is attached."));

        var result = await h.RunAsync(Session, "export the report");

        var file = Assert.Single(result.Files);
        Assert.Equal("export_report-1.pdf", file.Name);
        Assert.Equal("application/pdf", file.MediaType);
        Assert.Equal(tools.Report, file.Data.ToArray());
        var toolResult = Assert.Single(h.Server.Requests[1].ToolResults).Content!;
        Assert.StartsWith("report ready: 3 pages\n", toolResult);
        Assert.Contains("\"export_report-1.pdf\" (application/pdf, 509 B)", toolResult);

        // Not referenced in the text: the file goes after it.
        var segments = OutboundSegments.Split(new OutboundMessage { Target = new DeliveryTarget("telegram", "bot1", "77"), Text = result.Text, Files = result.Files });
        Assert.Equal(["The report is attached.", null], segments.Select(s => s.Text));
        Assert.Same(file, segments[1].File);
    }

    [Fact]
    public async Task FileAboveMaxToolFileBytes_IsNotSent_AndTheModelIsToldSo()
    {
        var tools = new FileToolProvider();
        await using var h = await AgentHarness.StartAsync(
            new Dictionary<string, string?> { ["MaxToolFileBytes"] = "1000" },
            s => s.AddSingleton<IAgentToolProvider>(tools));
        h.Server.Enqueue(FakeChatResponse.CallTool("draw_chart"));
        h.Server.Enqueue(FakeChatResponse.Answer("Sorry, the chart is too large."));

        var result = await h.RunAsync(Session, "draw the sales chart");

        Assert.Empty(result.Files);
        Assert.Contains("larger than the 1000 B the assistant may send; it is not sent", Assert.Single(h.Server.Requests[1].ToolResults).Content);
        var entries = await h.Transcripts.LoadAsync(Session, 10, AgentHarness.Timeout());
        Assert.Equal("Sorry, the chart is too large.", entries[^1].Content);
    }
}
