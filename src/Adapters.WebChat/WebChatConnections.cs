using System.Threading.Channels;

namespace OpenClaw.Channels.WebChat;

/// <summary>The open event streams of this process, by chat id (one chat per browser session; several tabs of one
/// browser share it). A DI singleton. Events go only to streams open on this node: in a cluster, put the page behind
/// sticky sessions, or the answer shows after a reload (from the transcript) instead of live.</summary>
internal sealed class WebChatConnections
{
    /// <summary>Events buffered per stream before the oldest is dropped (a stalled tab must not grow memory).</summary>
    internal const int BufferPerStream = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Channel<WebChatEvent>>> _byChat = new(StringComparer.Ordinal);

    /// <summary>Number of open streams (diagnostics and tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byChat.Values.Sum(s => s.Count);
            }
        }
    }

    /// <summary>Opens a stream for <paramref name="chatId"/>; dispose the result to close it.</summary>
    public Subscription Subscribe(string chatId)
    {
        var channel = Channel.CreateBounded<WebChatEvent>(new BoundedChannelOptions(BufferPerStream)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            if (!_byChat.TryGetValue(chatId, out var streams))
            {
                _byChat[chatId] = streams = [];
            }

            streams.Add(channel);
        }

        return new Subscription(this, chatId, channel);
    }

    /// <summary>Sends <paramref name="event"/> to every stream of <paramref name="chatId"/>.</summary>
    /// <returns>The number of streams it went to.</returns>
    public int Publish(string chatId, WebChatEvent @event)
    {
        Channel<WebChatEvent>[] streams;
        lock (_gate)
        {
            if (!_byChat.TryGetValue(chatId, out var list))
            {
                return 0;
            }

            streams = [.. list];
        }

        return streams.Count(s => s.Writer.TryWrite(@event));
    }

    private void Remove(string chatId, Channel<WebChatEvent> channel)
    {
        lock (_gate)
        {
            if (_byChat.TryGetValue(chatId, out var streams) && streams.Remove(channel) && streams.Count == 0)
            {
                _byChat.Remove(chatId);
            }
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One open stream.</summary>
    internal sealed class Subscription(WebChatConnections owner, string chatId, Channel<WebChatEvent> channel) : IDisposable
    {
        /// <summary>The stream's events.</summary>
        public ChannelReader<WebChatEvent> Reader => channel.Reader;

        public void Dispose() => owner.Remove(chatId, channel);
    }
}
