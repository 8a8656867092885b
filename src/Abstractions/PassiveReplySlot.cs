namespace OpenClaw.Channels;

/// <summary>A passive-reply slot as opened by <see cref="IPassiveReplyHandover.OpenAsync"/>.</summary>
/// <param name="Id">Opaque id naming the slot on every node (carried in <see cref="ChannelMessage.ReplyContext"/>).</param>
/// <param name="Created">True when this call opened the slot; false when it joined one still open for the same key.</param>
/// <param name="Remaining">Time left of the slot's window.</param>
public sealed record PassiveReplySlot(string Id, bool Created, TimeSpan Remaining);
