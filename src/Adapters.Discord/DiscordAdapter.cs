using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>The Discord channel as the hub sees it: name <c>discord</c>, the policy from <see cref="DiscordOptions"/>
/// (RequireMention, AllowFrom, AllowBots) and the <see cref="DiscordSender"/>.</summary>
/// <param name="options">The adapter options.</param>
/// <param name="sender">The outbound side.</param>
public sealed class DiscordAdapter(IOptions<DiscordOptions> options, DiscordSender sender)
    : ChannelAdapter(DiscordNormalizer.ChannelName, options.Value.ToPolicy(), sender);
