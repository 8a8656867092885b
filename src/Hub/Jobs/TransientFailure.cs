using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Tells a failure of our infrastructure or a transient platform/model failure (retry the run later, keep the
/// message) from a deterministic one (count it against the message; dead-letter after a few attempts).</summary>
internal static class TransientFailure
{
    /// <summary>True for Redis connection errors and timeouts, network errors, platform rate limits and 5xx
    /// (<see cref="ChannelDeliveryException.IsTransient"/>), and timeouts not caused by the caller's token.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal) || server.Message.StartsWith("BUSY", StringComparison.Ordinal),
        TimeoutException or HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException => true,
        ChannelDeliveryException delivery => delivery.IsTransient || delivery.InnerException is HttpRequestException or TaskCanceledException,
        AggregateException aggregate => aggregate.InnerExceptions.Any(Is),
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
