using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WeChat;

/// <summary>The <c>wechat</c> or <c>wecom</c> channel as the hub sees it. Chats are always direct (OpenID / UserID),
/// so <see cref="ChannelPolicy.RequireMention"/> is off.</summary>
/// <typeparam name="TOptions">The channel's options type: one adapter type per channel, so that
/// <c>TryAddEnumerable</c> keeps both when WeChat and WeCom are registered.</typeparam>
internal sealed class WeChatAdapter<TOptions>(WeChatChannelProfile profile, WeChatSender sender)
    : ChannelAdapter(profile.Channel, new ChannelPolicy { RequireMention = false, AllowFrom = profile.AllowFrom, AllowBots = false }, sender)
    where TOptions : WeChatOptionsBase;
