using System.Security.Cryptography;
using Microsoft.Extensions.AI;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Tests;

/// <summary>Tools that return files as Microsoft.Extensions.AI <see cref="DataContent"/>: <c>draw_chart</c> a PNG
/// (<see cref="Chart"/>), <c>export_report</c> a text part and a PDF (<see cref="Report"/>).</summary>
public sealed class FileToolProvider : IAgentToolProvider
{
    /// <summary>The PNG <c>draw_chart</c> returns: the PNG signature and random bytes.</summary>
    public byte[] Chart { get; } = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. RandomNumberGenerator.GetBytes(3000)];

    /// <summary>The PDF <c>export_report</c> returns.</summary>
    public byte[] Report { get; } = [.. "%PDF-1.7\n"u8.ToArray(), .. RandomNumberGenerator.GetBytes(500)];

    public IEnumerable<AITool> GetTools(AgentToolContext context)
    {
        yield return AIFunctionFactory.Create(() => new DataContent(Chart, "image/png") { Name = "chart.png" }, "draw_chart", "Draws the sales chart as a PNG.");
        yield return AIFunctionFactory.Create(
            IEnumerable<AIContent> () => [new TextContent("report ready: 3 pages"), new DataContent(Report, "application/pdf")],
            "export_report",
            "Exports the report as a PDF.");
    }
}
