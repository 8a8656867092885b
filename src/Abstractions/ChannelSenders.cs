namespace OpenClaw.Channels;

/// <summary>The registered adapters' senders by channel name (<see cref="IChannelAdapter.Channel"/>, ordinal). The host
/// registers one; the chat and cron lanes look senders up in it.</summary>
/// <param name="adapters">The registered adapters; each channel name once.</param>
/// <exception cref="ArgumentException">Two adapters have the same channel name.</exception>
public sealed class ChannelSenders(IEnumerable<IChannelAdapter> adapters)
{
    private readonly Dictionary<string, IChannelSender> _senders = adapters.ToDictionary(a => a.Channel, a => a.Sender, StringComparer.Ordinal);

    /// <summary>Channel names with a sender.</summary>
    public IReadOnlyCollection<string> Channels => _senders.Keys;

    /// <summary>Finds the sender of <paramref name="channel"/>.</summary>
    /// <param name="channel">Channel name, e.g. <c>telegram</c>.</param>
    /// <param name="sender">The sender, when found.</param>
    /// <returns>True when the channel has a registered adapter.</returns>
    public bool TryGet(string channel, out IChannelSender sender) => _senders.TryGetValue(channel, out sender!);
}
