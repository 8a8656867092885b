using Microsoft.Extensions.AI;

namespace OpenClaw.Channels.Agent;

/// <summary>One inbound message as the model sees it.</summary>
/// <param name="Text">The text with attachment references; this is what the transcript keeps.</param>
/// <param name="Images">Images given to the model next to the text; never stored.</param>
internal sealed record UserTurnMessage(string Text, IReadOnlyList<DataContent> Images);
