namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>The registered adapters' senders by channel name.</summary>
internal sealed class ChannelSenders(IEnumerable<IChannelAdapter> adapters)
{
    private readonly Dictionary<string, IChannelSender> _senders = adapters.ToDictionary(a => a.Channel, a => a.Sender, StringComparer.Ordinal);

    /// <summary>Channel names with a sender.</summary>
    public IReadOnlyCollection<string> Channels => _senders.Keys;

    /// <summary>Finds the sender of <paramref name="channel"/>.</summary>
    public bool TryGet(string channel, out IChannelSender sender) => _senders.TryGetValue(channel, out sender!);
}
