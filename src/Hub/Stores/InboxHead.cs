namespace OpenClaw.Channels.Hub.Stores;

/// <summary>The oldest queued message of a session and, when an earlier run already delivered (or began streaming)
/// its answer, that run's delivery record.</summary>
/// <param name="Message">The message at the head of the inbox.</param>
/// <param name="Delivery">What was delivered for it, or null when nothing was.</param>
/// <param name="Clean">True when the peek found neither a delivery record nor an attempt count for it: a pop that follows
/// without either being written in between need not drop them.</param>
internal sealed record InboxHead(ChannelMessage Message, DeliveryRecord? Delivery, bool Clean = false);
