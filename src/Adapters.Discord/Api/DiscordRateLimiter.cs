using System.Globalization;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Discord;

/// <summary>Paces REST calls to Discord's limits (discord.com/developers/docs/topics/rate-limits): the global
/// requests-per-second budget of the bot, per-route buckets learned from <c>X-RateLimit-Bucket</c>,
/// <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset-After</c>, and global 429 pauses. The global budget and its
/// 429 pauses live in the cluster's <see cref="ISharedRateLimiter"/>, and so do the route buckets (bot routes; keyed
/// <c>discord:bucket:{X-RateLimit-Bucket}:{major parameter}</c>): once a bucket's size is known
/// (<c>X-RateLimit-Limit</c> per the first <c>Reset-After</c> seen), every node reserves its calls there, and a spent
/// bucket (<c>Remaining: 0</c>) or a 429's <c>retry_after</c> blocks it on every node until the reset. Which route maps
/// to which bucket, and the bucket's size, is shared too (<see cref="DiscordRouteBuckets"/>), so a node's first call on a
/// route another node spent already waits for the reset. Each process also keeps its own view of the bucket as a
/// second guard. One per process (singleton).</summary>
internal sealed class DiscordRateLimiter
{
    private readonly ISharedRateLimiter _shared;
    private readonly DiscordRouteBuckets _routes;
    private readonly RateLimit _globalLimit;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _routeToBucket = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RateLimit> _limits = new(StringComparer.Ordinal);
    private DateTimeOffset _globalBlockedUntil;

    /// <param name="options">The global requests-per-second budget.</param>
    /// <param name="time">Clock of the local view and the waits.</param>
    /// <param name="shared">The cluster's buckets.</param>
    /// <param name="state">Where the route → bucket mapping is shared (the hub's store); null: learned per node.</param>
    public DiscordRateLimiter(IOptions<DiscordOptions> options, TimeProvider time, ISharedRateLimiter shared, IChannelStateStore? state = null)
    {
        _time = time;
        _shared = shared;
        _routes = new DiscordRouteBuckets(state, time);
        var perSecond = options.Value.GlobalRequestsPerSecond;
        _globalLimit = new RateLimit(perSecond, TimeSpan.FromSeconds(1), perSecond);
    }

    /// <summary>The cluster-wide bucket of the bot's global limit (and of global 429 pauses).</summary>
    public const string GlobalBucket = "discord:global";

    /// <summary>Waits until a call on <paramref name="route"/> may go out.</summary>
    public async Task WaitAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        if (!route.IsInteractionWebhook)
        {
            // The global requests/s are the bot's, whichever node calls: the bucket is shared by the cluster.
            await _shared.WaitAsync(GlobalBucket, _globalLimit, _time, cancellationToken).ConfigureAwait(false);
            if (!KnowsRoute(route) && await _routes.FindAsync(route, cancellationToken).ConfigureAwait(false) is { } learned)
            {
                // Another node learned this route's bucket: use its limits from the first call on.
                lock (_gate)
                {
                    _routeToBucket.TryAdd(route.Key, learned.Bucket);
                    _limits.TryAdd(BucketKey(route), learned.Limit);
                }
            }

            if (SharedLimit(route) is { } shared)
            {
                // The route's bucket is the bot's, whichever node calls: reserve in the cluster's copy of it.
                await _shared.WaitAsync(shared.Bucket, shared.Limit, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        // Loop: another caller may use up the bucket while we wait.
        for (var i = 0; i < 10; i++)
        {
            var wait = DelayFor(route);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Learns the bucket state from a response's rate-limit headers; a spent bucket is blocked on every node
    /// until its reset.</summary>
    public async Task UpdateAsync(DiscordRoute route, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = response.Headers;
        var bucket = Header(headers, "X-RateLimit-Bucket");
        var remaining = Header(headers, "X-RateLimit-Remaining");
        var resetAfter = Header(headers, "X-RateLimit-Reset-After");
        var size = Header(headers, "X-RateLimit-Limit");
        var now = _time.GetUtcNow();
        TimeSpan? spentFor = null;
        RateLimit? learnedLimit = null;
        lock (_gate)
        {
            if (bucket is not null)
            {
                _routeToBucket[route.Key] = bucket;
            }

            if (remaining is not null && resetAfter is not null
                && int.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left)
                && double.TryParse(resetAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                PruneExpired(now);
                var key = BucketKey(route);
                _buckets[key] = new BucketState(left, now + TimeSpan.FromSeconds(seconds));
                if (bucket is not null && !route.IsInteractionWebhook && !_limits.ContainsKey(key)
                    && int.TryParse(size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0)
                {
                    // The bucket's size per window; the window is the reset time seen first (at least 1 s).
                    _limits[key] = new RateLimit(count, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(seconds))), count);
                }

                if (left <= 0 && seconds > 0)
                {
                    spentFor = TimeSpan.FromSeconds(seconds);
                }

                if (bucket is not null && !route.IsInteractionWebhook && _limits.TryGetValue(key, out var known))
                {
                    learnedLimit = known;
                }
            }
        }

        if (learnedLimit is { } limit)
        {
            await _routes.StoreAsync(route, bucket!, limit, cancellationToken).ConfigureAwait(false);
        }

        if (spentFor is { } wait && SharedLimit(route) is { } shared)
        {
            await _shared.BlockAsync(shared.Bucket, shared.Limit, wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Blocks the bucket of <paramref name="route"/> (or every bot call when <paramref name="global"/>) for
    /// <paramref name="retryAfter"/> after a 429.</summary>
    public async Task BlockAsync(DiscordRoute route, TimeSpan retryAfter, bool global, CancellationToken cancellationToken)
    {
        if (global)
        {
            await _shared.BlockAsync(GlobalBucket, _globalLimit, retryAfter, cancellationToken).ConfigureAwait(false);
        }
        else if (SharedLimit(route) is { } shared)
        {
            await _shared.BlockAsync(shared.Bucket, shared.Limit, retryAfter, cancellationToken).ConfigureAwait(false);
        }

        var until = _time.GetUtcNow() + retryAfter;
        lock (_gate)
        {
            if (global)
            {
                if (until > _globalBlockedUntil)
                {
                    _globalBlockedUntil = until;
                }
            }
            else
            {
                _buckets[BucketKey(route)] = new BucketState(0, until);
            }
        }
    }

    // Interaction webhook buckets are per token; drop the ones that expired so the map stays small.
    private void PruneExpired(DateTimeOffset now)
    {
        if (_buckets.Count < 4096)
        {
            return;
        }

        foreach (var key in _buckets.Where(b => b.Value.ResetAt < now).Select(b => b.Key).ToList())
        {
            _buckets.Remove(key);
        }
    }

    private TimeSpan DelayFor(DiscordRoute route)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var wait = route.IsInteractionWebhook ? TimeSpan.Zero : _globalBlockedUntil - now;
            if (_buckets.TryGetValue(BucketKey(route), out var state))
            {
                if (state.Remaining <= 0 && state.ResetAt - now > wait)
                {
                    wait = state.ResetAt - now;
                }
                else if (state.Remaining > 0)
                {
                    // Count this call against the bucket until the response tells us the real number.
                    _buckets[BucketKey(route)] = state with { Remaining = state.Remaining - 1 };
                }
            }

            return wait;
        }
    }

    private bool KnowsRoute(DiscordRoute route)
    {
        lock (_gate)
        {
            return _routeToBucket.ContainsKey(route.Key);
        }
    }

    /// <summary>The cluster-wide bucket of <paramref name="route"/> and its size, once both are known.</summary>
    private (string Bucket, RateLimit Limit)? SharedLimit(DiscordRoute route)
    {
        if (route.IsInteractionWebhook)
        {
            return null;
        }

        lock (_gate)
        {
            var key = BucketKey(route);
            return _routeToBucket.ContainsKey(route.Key) && _limits.TryGetValue(key, out var limit) ? (SharedBucketPrefix + key, limit) : null;
        }
    }

    /// <summary>Prefix of the cluster-wide route buckets: <c>discord:bucket:{hash}:{major parameter}</c>.</summary>
    public const string SharedBucketPrefix = "discord:bucket:";

    // Buckets are shared by routes with the same bucket hash and the same major parameter.
    private string BucketKey(DiscordRoute route)
        => _routeToBucket.TryGetValue(route.Key, out var bucket)
            ? string.Concat(bucket, ":", route.MajorParameter)
            : route.Key;

    private static string? Header(System.Net.Http.Headers.HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private readonly record struct BucketState(int Remaining, DateTimeOffset ResetAt);
}
