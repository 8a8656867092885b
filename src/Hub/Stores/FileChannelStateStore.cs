using System.Collections.Concurrent;
using System.Text.Json;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Embedded <see cref="IChannelStateStore"/>: values in memory; values without a TTL (long-poll offsets)
/// are also written to <c>{DataDirectory}/state.json</c> (write-then-rename) so they survive restarts.</summary>
internal sealed class FileChannelStateStore : IChannelStateStore
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset? Expires)> _items = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lock _leaseGate = new();

    public FileChannelStateStore(string dataDirectory, TimeProvider time)
    {
        _time = time;
        Directory.CreateDirectory(dataDirectory);
        _path = Path.Combine(dataDirectory, "state.json");
        if (File.Exists(_path))
        {
            var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_path)) ?? [];
            foreach (var (key, value) in saved)
            {
                _items[key] = (value, null);
            }
        }
    }

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken)
        => Task.FromResult(_items.TryGetValue(key, out var item) && !Expired(item.Expires) ? item.Value : null);

    public async Task SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var had = _items.TryGetValue(key, out var old) && old.Expires is null;
        _items[key] = (value, ttl is null ? null : _time.GetUtcNow() + ttl);
        if (ttl is null || had)
        {
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<bool> TrySetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_leaseGate)
        {
            if (_items.TryGetValue(key, out var item) && !Expired(item.Expires))
            {
                return Task.FromResult(false);
            }

            _items[key] = (value, _time.GetUtcNow() + ttl);
            return Task.FromResult(true);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (_items.TryRemove(key, out var old) && old.Expires is null)
        {
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool Expired(DateTimeOffset? expires) => expires is not null && expires <= _time.GetUtcNow();

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var durable = _items.Where(i => i.Value.Expires is null).ToDictionary(i => i.Key, i => i.Value.Value, StringComparer.Ordinal);
            var temp = _path + ".tmp";
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(durable), cancellationToken).ConfigureAwait(false);
            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
