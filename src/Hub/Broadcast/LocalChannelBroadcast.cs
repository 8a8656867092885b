namespace OpenClaw.Channels.Hub.Broadcast;

/// <summary>Embedded-mode <see cref="IChannelBroadcast"/>: one process is the whole cluster, so a publish calls the
/// topic's handlers directly, in the publisher's order.</summary>
internal sealed class LocalChannelBroadcast : IChannelBroadcast
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Action<string>>> _handlers = new(StringComparer.Ordinal);

    public Task PublishAsync(string topic, string message, CancellationToken cancellationToken)
    {
        Action<string>[] handlers;
        lock (_gate)
        {
            if (!_handlers.TryGetValue(topic, out var list))
            {
                return Task.CompletedTask;
            }

            handlers = [.. list];
        }

        foreach (var handler in handlers)
        {
            handler(message);
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(string topic, Action<string> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (!_handlers.TryGetValue(topic, out var list))
            {
                _handlers[topic] = list = [];
            }

            list.Add(handler);
        }

        return Task.FromResult<IAsyncDisposable>(new Subscription(this, topic, handler));
    }

    private void Remove(string topic, Action<string> handler)
    {
        lock (_gate)
        {
            if (_handlers.TryGetValue(topic, out var list) && list.Remove(handler) && list.Count == 0)
            {
                _handlers.Remove(topic);
            }
        }
    }

    private sealed class Subscription(LocalChannelBroadcast owner, string topic, Action<string> handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            owner.Remove(topic, handler);
            return ValueTask.CompletedTask;
        }
    }
}
