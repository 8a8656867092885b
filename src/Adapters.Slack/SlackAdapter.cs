using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>The Slack channel (<c>slack</c>) as the hub sees it: policy from <see cref="SlackOptions"/> and the
/// <see cref="SlackSender"/>.</summary>
/// <param name="sender">The Slack sender.</param>
/// <param name="options">Slack options.</param>
public sealed class SlackAdapter(SlackSender sender, IOptions<SlackOptions> options)
    : ChannelAdapter(SlackNormalizer.ChannelName, options.Value.ToPolicy(), sender)
{
    /// <summary>The sender with its Slack-specific members (<see cref="SlackSender.StreamReplies"/>).</summary>
    public SlackSender SlackSender { get; } = sender;
}
