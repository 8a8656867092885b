namespace OpenClaw.Channels.Agent;

/// <summary>One transcript line, OpenClaw-compatible JSONL: <c>{"role":"user","content":"…","timestamp":"2026-11-23T10:00:00Z"}</c>.</summary>
/// <param name="Role"><c>user</c>, <c>assistant</c>, <c>tool</c> or <c>system</c>.</param>
/// <param name="Content">The text.</param>
/// <param name="Timestamp">When it happened, UTC.</param>
public sealed record TranscriptEntry(string Role, string Content, DateTimeOffset Timestamp);
