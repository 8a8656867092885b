namespace OpenClaw.Channels.Agent;

/// <summary>What a tool knows about the turn it runs in.</summary>
/// <param name="SessionKey">The session key.</param>
/// <param name="Target">Where the answer goes, or <see langword="null"/> (cron job without delivery).</param>
public sealed record AgentToolContext(string SessionKey, DeliveryTarget? Target);
