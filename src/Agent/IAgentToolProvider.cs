using Microsoft.Extensions.AI;

namespace OpenClaw.Channels.Agent;

/// <summary>Supplies tools for a turn. Register any number in DI; the runner offers the union to the model.
/// The hub adds its own (e.g. the cron tools <c>schedule_job</c>, <c>list_jobs</c>, <c>cancel_job</c>).</summary>
public interface IAgentToolProvider
{
    /// <summary>Returns the tools for one turn, bound to its context.</summary>
    /// <param name="context">The session and delivery target of the turn.</param>
    IEnumerable<AITool> GetTools(AgentToolContext context);
}
