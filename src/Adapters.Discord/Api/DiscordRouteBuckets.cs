using System.Collections.Concurrent;
using System.Globalization;

namespace OpenClaw.Channels.Discord;

/// <summary>The cluster's shared knowledge of which route maps to which rate-limit bucket
/// (discord.com/developers/docs/topics/rate-limits: the <c>X-RateLimit-Bucket</c> hash, the same for every major
/// parameter of a route) and the bucket's size, so a node uses the limits another node learned before its own first
/// call on a route. Kept in the hub's <see cref="IChannelStateStore"/> (Redis in a cluster) under
/// <c>discord:route:{method} {path with the major parameter as {major}}</c> as <c>{bucket} {limit} {window ms}</c> with a
/// TTL of <see cref="Ttl"/>, rewritten by a node once half of it passed; read once per route and second while a node
/// does not know the route yet. Store failures are ignored (the node learns from its own responses). Thread-safe.</summary>
internal sealed class DiscordRouteBuckets(IChannelStateStore? store, TimeProvider time)
{
    /// <summary>How long a stored mapping lives after its last write.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    private static readonly TimeSpan LookupInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lookedUp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset At)> _written = new(StringComparer.Ordinal);

    /// <summary>The mapping of <paramref name="route"/> another node stored, or null (none, no store, the store failed,
    /// or looked up less than a second ago).</summary>
    public async Task<(string Bucket, RateLimit Limit)?> FindAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return null;
        }

        var template = Template(route);
        var now = time.GetUtcNow();
        if (_lookedUp.TryGetValue(template, out var at) && now - at < LookupInterval)
        {
            return null;
        }

        _lookedUp[template] = now;
        string? value;
        try
        {
            value = await store.GetAsync(StateKey(template), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return null;
        }

        var parts = value?.Split(' ');
        if (parts is not { Length: 3 }
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count <= 0
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var windowMs) || windowMs <= 0)
        {
            return null;
        }

        _written[template] = (value!, now); // fresh: no need to write it back soon
        return (parts[0], new RateLimit(count, TimeSpan.FromMilliseconds(windowMs), count));
    }

    /// <summary>Stores what this node learned about <paramref name="route"/> when it is new or half its TTL old.</summary>
    public async Task StoreAsync(DiscordRoute route, string bucket, RateLimit limit, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }

        var template = Template(route);
        var value = string.Create(CultureInfo.InvariantCulture, $"{bucket} {limit.Count} {(long)limit.Period.TotalMilliseconds}");
        var now = time.GetUtcNow();
        if (_written.TryGetValue(template, out var last) && last.Value == value && now - last.At < Ttl / 2)
        {
            return;
        }

        _written[template] = (value, now);
        try
        {
            await store.SetAsync(StateKey(template), value, Ttl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            _written.TryRemove(template, out _); // try again with the next response
        }
    }

    /// <summary>The route's key with its major parameter as <c>{major}</c>: one bucket hash for all channels.</summary>
    internal static string Template(DiscordRoute route)
    {
        var major = route.MajorParameter;
        var at = major.Length == 0 ? -1 : route.Key.IndexOf("/" + major, StringComparison.Ordinal);
        return at < 0 ? route.Key : string.Concat(route.Key.AsSpan(0, at + 1), "{major}", route.Key.AsSpan(at + 1 + major.Length));
    }

    private static string StateKey(string template) => "discord:route:" + template;
}
