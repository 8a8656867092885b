namespace OpenClaw.Channels.Discord;

/// <summary>The identify rate limit of the bot, shared by every node of the cluster through
/// <see cref="ISharedRateLimiter"/>: shard <c>i</c> identifies in rate-limit bucket <c>i % max_concurrency</c>, and each
/// bucket allows one Identify per <see cref="DiscordOptions.IdentifyWindowMs"/> (5 s;
/// discord.com/developers/docs/events/gateway#rate-limiting and #sharding-max-concurrency). The shared slot is taken
/// before connecting; right before the Identify is sent, <see cref="BeforeSendAsync"/> also keeps one window after this
/// process's previous Identify of the bucket, so a slow handshake of the previous one cannot bring two closer.</summary>
internal sealed class GatewayIdentifyGate(ISharedRateLimiter limiter, DiscordOptions options, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    private TimeSpan Window => TimeSpan.FromMilliseconds(Math.Max(1, options.IdentifyWindowMs));

    /// <summary>The shared bucket of shard <paramref name="shardId"/>, e.g. <c>discord:123:identify:0</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is below 1.</exception>
    public static string Bucket(string botKey, int shardId, int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        return string.Concat("discord:", botKey, ":identify:", (shardId % maxConcurrency).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Takes the next Identify slot of the shard's bucket and waits until it comes, and until one window has
    /// passed since this process's previous Identify of the bucket. Called before connecting: a wait after Hello would
    /// leave the connection unread, its heartbeat ACKs unseen, and the connection closed as a zombie.</summary>
    /// <returns>How long it waited.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async Task<TimeSpan> WaitAsync(string botKey, int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        await limiter.WaitAsync(Bucket(botKey, shardId, maxConcurrency), new RateLimit(1, Window, 1), time, cancellationToken).ConfigureAwait(false);
        if (FloorWait(Bucket(botKey, shardId, maxConcurrency)) is var floor && floor > TimeSpan.Zero)
        {
            await Task.Delay(floor, time, cancellationToken).ConfigureAwait(false);
        }

        return time.GetUtcNow() - started;
    }

    private TimeSpan FloorWait(string bucket)
    {
        lock (_lastSent)
        {
            return _lastSent.TryGetValue(bucket, out var last) ? last + Window - time.GetUtcNow() : TimeSpan.Zero;
        }
    }

    /// <summary>Waits until one window has passed since this process's previous Identify of the shard's bucket, then
    /// records this one as sent now.</summary>
    public async Task BeforeSendAsync(string botKey, int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        var bucket = Bucket(botKey, shardId, maxConcurrency);
        while (true)
        {
            TimeSpan wait;
            lock (_lastSent)
            {
                var now = time.GetUtcNow();
                wait = _lastSent.TryGetValue(bucket, out var last) ? last + Window - now : TimeSpan.Zero;
                if (wait <= TimeSpan.Zero)
                {
                    _lastSent[bucket] = now;
                    return;
                }
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
