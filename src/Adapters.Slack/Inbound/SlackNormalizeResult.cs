namespace OpenClaw.Channels.Slack;

/// <summary>What <see cref="SlackNormalizer"/> made of an event.</summary>
/// <param name="EventId">Slack's <c>event_id</c>, for logs.</param>
/// <param name="Message">The normalized message, or null when dropped.</param>
/// <param name="DropReason">Why it was dropped (<c>own-message</c>, <c>bot</c>, <c>subtype</c>, <c>empty</c>, <c>unsupported-event</c>).</param>
internal sealed record SlackNormalizeResult(string EventId, ChannelMessage? Message, string? DropReason)
{
    public static SlackNormalizeResult Drop(string eventId, string reason) => new(eventId, null, reason);
}
