namespace OpenClaw.Channels.WeChat;

/// <summary>The <c>wechat</c> or <c>wecom</c> channel as the hub sees it. Chats are always direct (OpenID / UserID),
/// so <see cref="ChannelPolicy.RequireMention"/> is off.</summary>
internal sealed class WeChatAdapter : IChannelAdapter
{
    public WeChatAdapter(WeChatChannelProfile profile, WeChatSender sender)
    {
        Channel = profile.Channel;
        Sender = sender;
        Policy = new ChannelPolicy { RequireMention = false, AllowFrom = profile.AllowFrom, AllowBots = false };
    }

    public string Channel { get; }

    public ChannelPolicy Policy { get; }

    public IChannelSender Sender { get; }
}
