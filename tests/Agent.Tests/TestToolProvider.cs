using Microsoft.Extensions.AI;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Tests;

/// <summary>Extra tools for tests: <c>explode</c> throws, <c>sleepy</c> ignores cancellation and sleeps 5 s.</summary>
public sealed class TestToolProvider : IAgentToolProvider
{
    public IEnumerable<AITool> GetTools(AgentToolContext context)
    {
        yield return AIFunctionFactory.Create(string () => throw new InvalidOperationException("boom: the tool broke"), "explode", "Always fails.");
        yield return AIFunctionFactory.Create(
            async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
                return "late";
            },
            "sleepy",
            "Takes too long.");
    }
}
