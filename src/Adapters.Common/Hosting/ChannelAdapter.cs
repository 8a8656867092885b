namespace OpenClaw.Channels.Adapters;

/// <summary>Base of every adapter's <see cref="IChannelAdapter"/>: the channel name, the policy the hub applies to its
/// messages (usually <see cref="ChannelPolicyOptions.ToPolicy"/>) and its sender. One derived type per channel, so that
/// <c>TryAddEnumerable</c> registers each channel once.</summary>
public abstract class ChannelAdapter : IChannelAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <param name="channel">The channel name (<c>telegram</c>, <c>slack</c>, …).</param>
    /// <param name="policy">The inbound policy.</param>
    /// <param name="sender">The outbound side (the adapter's registered sender).</param>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    protected ChannelAdapter(string channel, ChannelPolicy policy, IChannelSender sender)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(policy);
        Channel = channel;
        Policy = policy;
        Sender = sender;
    }

    /// <inheritdoc />
    public string Channel { get; }

    /// <inheritdoc />
    public ChannelPolicy Policy { get; }

    /// <inheritdoc />
    public IChannelSender Sender { get; }
}
