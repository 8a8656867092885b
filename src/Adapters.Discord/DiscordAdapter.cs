using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Discord;

/// <summary>The Discord channel as the hub sees it: name <c>discord</c>, the policy from <see cref="DiscordOptions"/>
/// (RequireMention, AllowFrom, AllowBots) and the <see cref="DiscordSender"/>.</summary>
public sealed class DiscordAdapter : IChannelAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <param name="options">The adapter options.</param>
    /// <param name="sender">The outbound side.</param>
    public DiscordAdapter(IOptions<DiscordOptions> options, DiscordSender sender)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        Sender = sender;
        Policy = new ChannelPolicy
        {
            RequireMention = o.RequireMention,
            AllowFrom = [.. o.AllowFrom],
            AllowBots = o.AllowBots,
        };
    }

    /// <inheritdoc />
    public string Channel => DiscordNormalizer.ChannelName;

    /// <inheritdoc />
    public ChannelPolicy Policy { get; }

    /// <inheritdoc />
    public IChannelSender Sender { get; }
}
