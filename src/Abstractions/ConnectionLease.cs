namespace OpenClaw.Channels;

/// <summary>A lease on a platform connection that the platform allows once per bot (Telegram's long poll, one Discord
/// shard, one Slack Socket Mode slot), as granted by an <see cref="IConnectionLeaseStore"/>.</summary>
/// <param name="Resource">What is leased, e.g. <c>telegram:123456789:poll</c>.</param>
/// <param name="Owner">The node holding it (<c>Hub:NodeId</c>).</param>
/// <param name="FencingToken">Strictly increasing per resource: every new grant gets a larger token than any earlier
/// one, so a write stamped with an older token can be recognised as coming from a former owner.</param>
public sealed record ConnectionLease(string Resource, string Owner, long FencingToken);
