using OpenClaw.Channels.Hub.Stores;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Broadcast;

/// <summary>Redis-mode <see cref="IChannelBroadcast"/>: <c>PUBLISH</c>/<c>SUBSCRIBE</c> on <c>{prefix}bus:{topic}</c>.
/// Each subscription reads through a <see cref="ChannelMessageQueue"/>, which hands messages over one at a time in
/// order (StackExchange.Redis calls plain handlers concurrently). Subscriptions cost nothing while idle.</summary>
internal sealed class RedisChannelBroadcast(IConnectionMultiplexer redis, RedisKeys keys) : IChannelBroadcast
{
    public Task PublishAsync(string topic, string message, CancellationToken cancellationToken)
        => redis.GetSubscriber().PublishAsync(ChannelOf(topic), message);

    public async Task<IAsyncDisposable> SubscribeAsync(string topic, Action<string> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var queue = await redis.GetSubscriber().SubscribeAsync(ChannelOf(topic)).ConfigureAwait(false);
        queue.OnMessage(m => handler(m.Message.ToString()));
        return new Subscription(queue);
    }

    private RedisChannel ChannelOf(string topic) => RedisChannel.Literal(keys.Prefix + "bus:" + topic);

    private sealed class Subscription(ChannelMessageQueue queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await queue.UnsubscribeAsync().ConfigureAwait(false);
    }
}
