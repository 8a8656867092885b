namespace OpenClaw.Channels;

/// <summary>Where connection leases live: Redis (shared by all nodes of a cluster) or, for a cluster of one, the
/// process. A lease expires <c>ttl</c> after it was last granted or renewed unless renewed again; expiry is measured by
/// the store, so a holder must stop using the connection before its own deadline (see <see cref="ConnectionOwnership"/>).</summary>
public interface IConnectionLeaseStore
{
    /// <summary>Grants <paramref name="resource"/> to <paramref name="owner"/> for <paramref name="ttl"/> when nobody
    /// holds it (or <paramref name="owner"/> already does, which extends it and keeps its token).</summary>
    /// <returns>The lease with its fencing token, or <see langword="null"/> when another owner holds it.</returns>
    Task<ConnectionLease?> TryAcquireAsync(string resource, string owner, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="lease"/> by <paramref name="ttl"/> from now if it is still held with the same
    /// owner and fencing token.</summary>
    /// <returns>False when the lease expired or was granted to someone else (the holder has lost it).</returns>
    Task<bool> RenewAsync(ConnectionLease lease, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives <paramref name="lease"/> up at once if it is still held with the same owner and fencing token,
    /// so another node can take the connection without waiting for expiry.</summary>
    Task ReleaseAsync(ConnectionLease lease, CancellationToken cancellationToken);

    /// <summary>The current holder of <paramref name="resource"/>, or <see langword="null"/> when nobody holds it.</summary>
    Task<ConnectionLease?> GetAsync(string resource, CancellationToken cancellationToken);
}
