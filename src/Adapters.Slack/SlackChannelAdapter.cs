using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Slack;

/// <summary>The Slack channel (<c>slack</c>) as the hub sees it: policy from <see cref="SlackOptions"/> and the
/// <see cref="SlackSender"/>.</summary>
public sealed class SlackChannelAdapter : IChannelAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <param name="sender">The Slack sender.</param>
    /// <param name="options">Slack options.</param>
    public SlackChannelAdapter(SlackSender sender, IOptions<SlackOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(options);
        SlackSender = sender;
        Policy = options.Value.ToPolicy();
    }

    /// <inheritdoc />
    public string Channel => SlackNormalizer.ChannelName;

    /// <inheritdoc />
    public ChannelPolicy Policy { get; }

    /// <inheritdoc />
    public IChannelSender Sender => SlackSender;

    /// <summary>The sender with its Slack-specific members (<see cref="SlackSender.StreamReplies"/>).</summary>
    public SlackSender SlackSender { get; }
}
