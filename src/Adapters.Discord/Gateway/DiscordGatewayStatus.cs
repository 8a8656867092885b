namespace OpenClaw.Channels.Discord;

/// <summary>Where the gateway connection stands.</summary>
internal enum DiscordGatewayStatus
{
    /// <summary>The worker has not connected yet.</summary>
    NotStarted,

    /// <summary>Connecting, identifying or resuming.</summary>
    Connecting,

    /// <summary>READY or RESUMED received; events flow.</summary>
    Ready,

    /// <summary>Disconnected; waiting to reconnect.</summary>
    Reconnecting,

    /// <summary>Stopped for good (a close code that forbids reconnecting, or the token was refused).</summary>
    Failed,

    /// <summary>Running, but other nodes of the cluster hold every shard.</summary>
    Standby,

    /// <summary>The gateway is switched off by configuration.</summary>
    Disabled,
}
