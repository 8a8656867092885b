namespace OpenClaw.Channels.Adapters;

/// <summary>Base of an adapter's options class: the inbound policy settings every channel with groups has, bound
/// from the channel's configuration section (<c>Channels:&lt;Platform&gt;:RequireMention</c>, <c>AllowFrom:0</c>…,
/// <c>AllowBots</c>) and turned into the hub's <see cref="ChannelPolicy"/> by <see cref="ToPolicy"/>.</summary>
public abstract class ChannelPolicyOptions
{
    /// <summary>In group chats and channels answer only when the bot is mentioned, replied to or commanded (Slack:
    /// also in a thread the bot took part in). Default true. Direct chats (Discord DMs, WeChat) are always answered.</summary>
    public bool RequireMention { get; set; } = true;

    /// <summary>Platform user ids allowed to talk to the bot; empty (default) means everyone.</summary>
    public IList<string> AllowFrom { get; } = [];

    /// <summary>When true, messages from other bots are answered. Default false. The bot's own messages are always
    /// dropped.</summary>
    public bool AllowBots { get; set; }

    /// <summary>The policy the hub applies to this channel's messages.</summary>
    /// <returns>A new <see cref="ChannelPolicy"/> with a copy of <see cref="AllowFrom"/>.</returns>
    public ChannelPolicy ToPolicy() => new()
    {
        RequireMention = RequireMention,
        AllowFrom = [.. AllowFrom],
        AllowBots = AllowBots,
    };
}
