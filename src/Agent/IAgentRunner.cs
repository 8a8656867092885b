namespace OpenClaw.Channels.Agent;

/// <summary>Runs one agent turn for a session: transcript (last N turns) + new messages → model → tool calls → model …
/// until a final answer or <see cref="AgentOptions.MaxIterations"/>. The caller holds the session lock.</summary>
public interface IAgentRunner
{
    /// <summary>Runs one turn and appends it to the session transcript.</summary>
    /// <param name="request">The session, the new messages (or a cron prompt) and the delivery target.</param>
    /// <param name="cancellationToken">Cancels model and tool calls.</param>
    /// <returns>The final answer text and the status. A model that still fails after retries gives
    /// <see cref="AgentRunStatus.ModelFailed"/> with a short user-facing <see cref="AgentRunResult.Text"/>; it does not throw.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<AgentRunResult> RunAsync(AgentRunRequest request, CancellationToken cancellationToken);
}
