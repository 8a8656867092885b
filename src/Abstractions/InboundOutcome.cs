namespace OpenClaw.Channels;

/// <summary>What the hub did with an inbound message.</summary>
public enum InboundOutcome
{
    /// <summary>Durably stored in its session inbox and a run is scheduled. Acknowledge the platform.</summary>
    Accepted,

    /// <summary>The idempotency key was seen before (a platform redelivery). Acknowledge and do nothing.</summary>
    Duplicate,

    /// <summary>Policy says not to answer (no mention in a group, sender not allowed, a bot). Acknowledge and do nothing.</summary>
    Ignored,
}
