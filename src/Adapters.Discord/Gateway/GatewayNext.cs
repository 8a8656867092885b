namespace OpenClaw.Channels.Discord;

/// <summary>What the gateway worker does after a connection ends.</summary>
internal enum GatewayNext
{
    /// <summary>Reconnect to <c>resume_gateway_url</c> and send Resume (op 6) with the session id and last sequence.</summary>
    Resume,

    /// <summary>Forget the session, reconnect to the gateway URL and Identify (op 2).</summary>
    NewSession,

    /// <summary>Stop for good: reconnecting cannot help (4004, 4010, 4012–4014).</summary>
    Stop,

    /// <summary>Sharding required (4011): read <c>GET /gateway/bot</c> again and run more shards.</summary>
    Reshard,
}
