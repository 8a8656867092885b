namespace OpenClaw.Channels.Agent;

/// <summary>Output of one agent turn.</summary>
/// <param name="Status">How the turn ended.</param>
/// <param name="Text">The text to deliver (Markdown); never empty.</param>
/// <param name="Iterations">Model calls made in this turn.</param>
/// <param name="Error">Technical error summary for logs and the job history (no secrets), or <see langword="null"/>.</param>
public sealed record AgentRunResult(AgentRunStatus Status, string Text, int Iterations, string? Error = null)
{
    /// <summary>Files the turn's tools returned (Microsoft.Extensions.AI <c>DataContent</c>), in the order they were
    /// returned, to send with <see cref="Text"/> as <see cref="OutboundMessage.Files"/> (the text may place them with
    /// <c>![alt](attachment:NAME)</c>). Empty for none, and always empty when the model failed.</summary>
    public IReadOnlyList<OutboundFile> Files { get; init; } = [];
}
