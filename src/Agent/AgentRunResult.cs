namespace OpenClaw.Channels.Agent;

/// <summary>Output of one agent turn.</summary>
/// <param name="Status">How the turn ended.</param>
/// <param name="Text">The text to deliver (Markdown); never empty.</param>
/// <param name="Iterations">Model calls made in this turn.</param>
/// <param name="Error">Technical error summary for logs and the job history (no secrets), or <see langword="null"/>.</param>
public sealed record AgentRunResult(AgentRunStatus Status, string Text, int Iterations, string? Error = null);
