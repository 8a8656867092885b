namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>What one agent run did: the job's result, shown in the Hangfire dashboard's Succeeded state.</summary>
/// <param name="Node">The node that ran it.</param>
/// <param name="Turns">The turns it handled, in order.</param>
/// <param name="Ended">Why the run ended: <c>drained</c>, <c>yielded</c> (turn or time slice used up; a new run was
/// queued behind the others), <c>shutdown</c> (handed to another run), <c>busy</c> (another run holds the session).</param>
public sealed record AgentRunSummary(string Node, IReadOnlyList<AgentTurnSummary> Turns, string Ended);

/// <summary>One turn of an agent run.</summary>
/// <param name="MessageId">The hub message id (<see cref="ChannelMessage.Id"/>).</param>
/// <param name="Channel">Its channel.</param>
/// <param name="QueueWaitMs">Time from acceptance to the start of the turn, in ms.</param>
/// <param name="ModelMs">Time spent in the agent (model and tools), in ms; 0 when the model was not asked.</param>
/// <param name="Outcome"><c>answered</c>, <c>command</c>, <c>model-failed</c> (error reply sent), <c>already-delivered</c>
/// (an earlier run had sent it; popped without sending), <c>dead-lettered</c>, <c>retry</c> or <c>failed-attempt</c>.</param>
public sealed record AgentTurnSummary(string MessageId, string Channel, long QueueWaitMs, long ModelMs, string Outcome);
