using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Replies;

/// <summary>A subscription to a passive-reply slot's channel that wakes one waiter at a time when a message naming the
/// slot's generation arrives (a claim, a confirmation, a withdrawal). Messages that arrive while nobody waits are kept
/// for the next wait. Dispose unsubscribes.</summary>
internal sealed class PassiveReplyWakeUp : IAsyncDisposable
{
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly SemaphoreSlim _signals = new(0);

    private PassiveReplyWakeUp(ISubscriber subscriber, RedisChannel channel, string gen)
    {
        _subscriber = subscriber;
        _channel = channel;
        _onMessage = (_, value) =>
        {
            if (value == gen)
            {
                _signals.Release();
            }
        };
    }

    /// <summary>Subscribes to <paramref name="channel"/> for messages equal to <paramref name="gen"/>.</summary>
    public static async Task<PassiveReplyWakeUp> SubscribeAsync(IConnectionMultiplexer redis, RedisChannel channel, string gen)
    {
        var wake = new PassiveReplyWakeUp(redis.GetSubscriber(), channel, gen);
        await wake._subscriber.SubscribeAsync(channel, wake._onMessage).ConfigureAwait(false);
        return wake;
    }

    /// <summary>Waits for a message, at most <paramref name="timeout"/> on <paramref name="time"/>.</summary>
    /// <returns>True when woken by a message; false on time-out or cancellation (the caller looks at its token).</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return _signals.Wait(0, CancellationToken.None);
        }

        // A cancelled semaphore wait leaves no waiter behind to swallow a later message.
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _signals.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _subscriber.UnsubscribeAsync(_channel, _onMessage).ConfigureAwait(false);
        _signals.Dispose();
    }
}
