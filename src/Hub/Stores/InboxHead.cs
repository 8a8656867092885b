namespace OpenClaw.Channels.Hub.Stores;

/// <summary>The oldest queued message of a session and, when an earlier run already delivered (or began streaming)
/// its answer, that run's delivery record.</summary>
/// <param name="Message">The message at the head of the inbox.</param>
/// <param name="Delivery">What was delivered for it, or null when nothing was.</param>
internal sealed record InboxHead(ChannelMessage Message, DeliveryRecord? Delivery);
