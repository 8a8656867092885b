namespace OpenClaw.Channels;

/// <summary>An <see cref="IConnectionLeaseStore"/> inside one process: the lease store of a cluster of one (a hub
/// without shared store, an adapter hosted alone). Same contract as the Redis store: expiry after <c>ttl</c>, strictly
/// increasing fencing tokens per resource. Thread-safe.</summary>
/// <param name="time">Clock for expiry; <see cref="TimeProvider.System"/> when null.</param>
public sealed class LocalConnectionLeaseStore(TimeProvider? time = null) : IConnectionLeaseStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, (ConnectionLease Lease, DateTimeOffset ExpiresAt)> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fences = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<ConnectionLease?> TryAcquireAsync(string resource, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var now = _time.GetUtcNow();
        lock (_leases)
        {
            if (_leases.TryGetValue(resource, out var held) && held.ExpiresAt > now)
            {
                if (held.Lease.Owner != owner)
                {
                    return Task.FromResult<ConnectionLease?>(null);
                }

                _leases[resource] = (held.Lease, now + ttl);
                return Task.FromResult<ConnectionLease?>(held.Lease);
            }

            var token = _fences.GetValueOrDefault(resource) + 1;
            _fences[resource] = token;
            var lease = new ConnectionLease(resource, owner, token);
            _leases[resource] = (lease, now + ttl);
            return Task.FromResult<ConnectionLease?>(lease);
        }
    }

    /// <inheritdoc />
    public Task<bool> RenewAsync(ConnectionLease lease, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = _time.GetUtcNow();
        lock (_leases)
        {
            if (_leases.TryGetValue(lease.Resource, out var held) && held.ExpiresAt > now && held.Lease == lease)
            {
                _leases[lease.Resource] = (lease, now + ttl);
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    /// <inheritdoc />
    public Task ReleaseAsync(ConnectionLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_leases)
        {
            if (_leases.TryGetValue(lease.Resource, out var held) && held.Lease == lease)
            {
                _leases.Remove(lease.Resource);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ConnectionLease?> GetAsync(string resource, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_leases)
        {
            return Task.FromResult(_leases.TryGetValue(resource, out var held) && held.ExpiresAt > now ? held.Lease : null);
        }
    }
}
