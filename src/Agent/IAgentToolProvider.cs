using Microsoft.Extensions.AI;

namespace OpenClaw.Channels.Agent;

/// <summary>Supplies tools for a turn. Register any number in DI; the runner offers the union to the model.
/// The hub adds its own (e.g. the cron tools <c>schedule_job</c>, <c>list_jobs</c>, <c>cancel_job</c>).</summary>
/// <remarks>A tool may return a file: a Microsoft.Extensions.AI <see cref="DataContent"/> (with <see cref="DataContent.Name"/>
/// and a media type), or an <c>IEnumerable&lt;AIContent&gt;</c> with text and files. Each file (up to
/// <see cref="AgentOptions.MaxToolFileBytes"/>) is sent with the answer (<see cref="AgentRunResult.Files"/>) as the
/// platform's native image or file message; the model gets a short text naming it instead of the bytes, and may place it
/// in its answer with <c>![alt](attachment:NAME)</c>.</remarks>
public interface IAgentToolProvider
{
    /// <summary>Returns the tools for one turn, bound to its context.</summary>
    /// <param name="context">The session and delivery target of the turn.</param>
    IEnumerable<AITool> GetTools(AgentToolContext context);
}
