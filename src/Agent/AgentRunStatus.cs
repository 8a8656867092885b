namespace OpenClaw.Channels.Agent;

/// <summary>How an agent turn ended.</summary>
public enum AgentRunStatus
{
    /// <summary>The model gave a final answer.</summary>
    Completed,

    /// <summary><c>Agent:Endpoint</c> is not set; <see cref="AgentRunResult.Text"/> says which setting to set.</summary>
    ModelNotConfigured,

    /// <summary>The model kept failing after bounded retries; <see cref="AgentRunResult.Text"/> is a short error reply.</summary>
    ModelFailed,

    /// <summary><see cref="AgentOptions.MaxIterations"/> was reached without a final answer; the text says so.</summary>
    IterationLimit,
}
