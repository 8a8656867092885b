namespace OpenClaw.Channels.Hub.Stores;

/// <summary>What the hub posted for one inbound message, written before the message is popped so a run that finds it
/// pops without sending again (<see cref="ISessionStore.RecordDeliveryAsync"/>).</summary>
/// <param name="PlatformMessageIds">Platform ids of the posted answer, one per chunk (empty when the platform returns none).</param>
/// <param name="Complete">True once the answer was sent; false while only a streaming placeholder exists.</param>
/// <param name="PlaceholderId">The platform id of the streaming placeholder the answer edits, if any; a retried turn
/// edits the same placeholder instead of posting a second one.</param>
internal sealed record DeliveryRecord(IReadOnlyList<string> PlatformMessageIds, bool Complete, string? PlaceholderId = null);
