using System.Collections.Concurrent;

namespace OpenClaw.Channels.Fakes;

/// <summary>A process-local <see cref="IChannelStateStore"/> for adapter tests that run without the hub.</summary>
/// <param name="time">The clock TTLs run on; <see cref="TimeProvider.System"/> when null (a <c>FakeTimeProvider</c>
/// makes expiry a step of the test).</param>
public sealed class InMemoryStateStore(TimeProvider? time = null) : IChannelStateStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset? Expires)> _items = new();

    /// <summary>The values stored now (expired ones included until overwritten).</summary>
    public IReadOnlyCollection<string> Values => [.. _items.Values.Select(v => v.Value)];

    /// <summary>A copy of everything stored now: what a node that starts later finds in the cluster's store, while
    /// the node that wrote it goes on (or stops without cleaning up, as a killed node would).</summary>
    public InMemoryStateStore Snapshot()
    {
        var copy = new InMemoryStateStore(_time);
        foreach (var (key, value) in _items)
        {
            copy._items[key] = value;
        }

        return copy;
    }

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(_items.TryGetValue(key, out var v) && (v.Expires is null || v.Expires > _time.GetUtcNow()) ? v.Value : null);

    public Task SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        _items[key] = (value, ttl is null ? null : _time.GetUtcNow() + ttl);
        return Task.CompletedTask;
    }

    public Task<bool> TrySetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_items.TryGetValue(key, out var existing))
            {
                if (existing.Expires is null || existing.Expires > _time.GetUtcNow())
                {
                    return Task.FromResult(false);
                }

                if (_items.TryUpdate(key, (value, _time.GetUtcNow() + ttl), existing))
                {
                    return Task.FromResult(true);
                }

                continue;
            }

            if (_items.TryAdd(key, (value, _time.GetUtcNow() + ttl)))
            {
                return Task.FromResult(true);
            }
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        _items.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
