using System.Collections.Concurrent;

namespace OpenClaw.Channels;

/// <summary>Holds the connections that a platform allows once per bot (Telegram's long poll, each Discord shard, each
/// Slack Socket Mode slot) on exactly one node of the cluster: a node acquires the lease of a resource in an
/// <see cref="IConnectionLeaseStore"/>, opens the connection, and closes it when <see cref="OwnedConnection.Lost"/>
/// fires. The lease is renewed every <see cref="ConnectionOwnershipOptions.RenewInterval"/>; when renewal has not
/// succeeded for <see cref="ConnectionOwnershipOptions.Ttl"/> minus the safety margin (measured from the start of the
/// last successful renewal, so before the store can expire it), the holder treats it as lost. Another node is granted
/// the resource only after expiry, with a larger fencing token. Thread-safe; one instance per node.</summary>
public sealed class ConnectionOwnership
{
    private readonly ConcurrentDictionary<OwnedConnection, byte> _held = new();

    /// <summary>Creates the ownership of one node.</summary>
    /// <param name="store">Where the leases live (Redis for a cluster).</param>
    /// <param name="options">Node id, lease time and renewal period.</param>
    /// <param name="time">Clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The renewal period is not below the lease time minus the safety margin.</exception>
    public ConnectionOwnership(IConnectionLeaseStore store, ConnectionOwnershipOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.NodeId);
        if (options.RenewInterval <= TimeSpan.Zero || options.RenewInterval >= options.Ttl - options.EffectiveMargin)
        {
            throw new ArgumentException("RenewInterval must be positive and below Ttl minus the safety margin.", nameof(options));
        }

        Store = store;
        Options = options;
        Time = time ?? TimeProvider.System;
    }

    /// <summary>This node's id, the owner of the leases it takes.</summary>
    public string NodeId => Options.NodeId;

    /// <summary>The leases this node holds now (not lost, not released).</summary>
    public IReadOnlyList<ConnectionLease> Held => [.. _held.Keys.Where(c => c.IsHeld).Select(c => c.Lease).OrderBy(l => l.Resource, StringComparer.Ordinal)];

    /// <summary>How often held leases are renewed and wanted ones tried again
    /// (<see cref="ConnectionOwnershipOptions.RenewInterval"/>).</summary>
    public TimeSpan RenewInterval => Options.RenewInterval;

    internal IConnectionLeaseStore Store { get; }

    internal ConnectionOwnershipOptions Options { get; }

    internal TimeProvider Time { get; }

    /// <summary>A cluster of one: leases in this process, owner <c>local</c>.</summary>
    /// <param name="time">Clock; <see cref="TimeProvider.System"/> when null.</param>
    public static ConnectionOwnership Local(TimeProvider? time = null) => new(new LocalConnectionLeaseStore(time), new ConnectionOwnershipOptions(), time);

    /// <summary>Takes <paramref name="resource"/> if nobody holds it.</summary>
    /// <returns>The held connection (dispose it to release), or <see langword="null"/> when another node holds it.</returns>
    /// <exception cref="Exception">The store failed (e.g. Redis unreachable); retry later.</exception>
    public async Task<OwnedConnection?> TryAcquireAsync(string resource, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        var lease = await Store.TryAcquireAsync(resource, NodeId, Options.Ttl, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return null;
        }

        var owned = new OwnedConnection(this, lease, started);
        _held[owned] = 0;
        Options.Acquired?.Invoke(lease);
        return owned;
    }

    /// <summary>Waits until this node holds <paramref name="resource"/>, trying every
    /// <see cref="ConnectionOwnershipOptions.RenewInterval"/>.</summary>
    /// <returns>The held connection; dispose it to release the lease.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Exception">The store failed (e.g. Redis unreachable); retry later.</exception>
    public async Task<OwnedConnection> AcquireAsync(string resource, CancellationToken cancellationToken)
    {
        while (true)
        {
            var owned = await TryAcquireAsync(resource, cancellationToken).ConfigureAwait(false);
            if (owned is not null)
            {
                return owned;
            }

            await Task.Delay(Options.RenewInterval, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Who holds <paramref name="resource"/> now, or <see langword="null"/>.</summary>
    public Task<ConnectionLease?> GetOwnerAsync(string resource, CancellationToken cancellationToken) => Store.GetAsync(resource, cancellationToken);

    /// <summary>The live nodes of the cluster (<see cref="ConnectionOwnershipOptions.LiveNodes"/>), always including
    /// this one, sorted.</summary>
    /// <exception cref="Exception">The registry failed (e.g. Redis unreachable).</exception>
    public async Task<IReadOnlyList<string>> GetLiveNodesAsync(CancellationToken cancellationToken)
    {
        var nodes = Options.LiveNodes is { } live ? await live(cancellationToken).ConfigureAwait(false) : [];
        return [.. nodes.Append(NodeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    internal void Forget(OwnedConnection owned, bool lost)
    {
        if (_held.TryRemove(owned, out _))
        {
            Options.Ended?.Invoke(owned.Lease, lost);
        }
    }
}
