namespace OpenClaw.Channels.Hub.DeadLetters;

/// <summary>A message taken out of its session because it failed deterministically (see <c>AgentRunJob</c>).</summary>
/// <param name="Id">The dead letter's id: the message's hub id (<see cref="ChannelMessage.Id"/>).</param>
/// <param name="SessionKey">The session it came from (a replay puts it back at that session's head).</param>
/// <param name="Reason">Why it was dead-lettered, e.g. <c>send failed: 400 Bad Request</c>.</param>
/// <param name="At">When, UTC.</param>
/// <param name="Message">The message as it was queued.</param>
internal sealed record DeadLetter(string Id, string SessionKey, string Reason, DateTimeOffset At, ChannelMessage Message);
