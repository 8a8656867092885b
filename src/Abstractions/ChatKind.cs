namespace OpenClaw.Channels;

/// <summary>What kind of conversation a chat is. Drives session keys and group policy (mention gating).</summary>
public enum ChatKind
{
    /// <summary>A one-to-one conversation with the bot (Telegram private chat, Slack <c>im</c>, Discord DM, WeChat user).</summary>
    Direct,

    /// <summary>A multi-person conversation (Telegram group/supergroup, Slack channel/group/mpim, Discord guild channel).</summary>
    Group,

    /// <summary>A broadcast channel where the bot reads posts (Telegram <c>channel_post</c>).</summary>
    Channel,
}
