namespace OpenClaw.Channels;

/// <summary>Fire-and-forget messages to every node: a sender on the node that runs a turn reaches a connection held by
/// another node (the web chat's event stream). Redis pub/sub in Redis mode (topics under the hub's key prefix), in
/// process in embedded mode. Nothing is stored: a message published while nobody listens is gone.</summary>
public interface IChannelBroadcast
{
    /// <summary>Publishes <paramref name="message"/> on <paramref name="topic"/>; subscribers on every node get it, in
    /// publish order per publisher.</summary>
    /// <param name="topic">The topic, namespaced by the caller, e.g. <c>webchat:{chatId}</c>.</param>
    /// <param name="message">The payload (small text, e.g. JSON).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Completes when the message was handed to the store (Redis) or to the local subscribers.</returns>
    Task PublishAsync(string topic, string message, CancellationToken cancellationToken);

    /// <summary>Subscribes <paramref name="handler"/> to <paramref name="topic"/> until the result is disposed. The
    /// handler is called with one message at a time, in order; it must not block.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="handler">Called with each message.</param>
    /// <param name="cancellationToken">Cancels the subscribe call.</param>
    /// <returns>The subscription; dispose it to unsubscribe.</returns>
    Task<IAsyncDisposable> SubscribeAsync(string topic, Action<string> handler, CancellationToken cancellationToken);
}
