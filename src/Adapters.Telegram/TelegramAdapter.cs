using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Telegram;

/// <summary>The Telegram channel as the hub sees it: name <c>telegram</c>, the policy from
/// <see cref="TelegramOptions"/> (RequireMention, AllowFrom, AllowBots) and the <see cref="TelegramSender"/>.</summary>
/// <param name="sender">The outbound side.</param>
/// <param name="options">Channel options.</param>
public sealed class TelegramAdapter(TelegramSender sender, IOptions<TelegramOptions> options)
    : ChannelAdapter(TelegramNormalizer.ChannelName, options.Value.ToPolicy(), sender);
