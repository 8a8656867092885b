namespace OpenClaw.Channels;

/// <summary>Small key-value state an adapter keeps in the hub's store, shared by all nodes in Redis mode and kept
/// under the data directory in embedded mode: long-poll offsets, cached access tokens, single-flight leases.
/// Keys are namespaced by the caller, e.g. <c>telegram:offset:{botId}</c>.</summary>
public interface IChannelStateStore
{
    /// <summary>Reads a value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value, or <see langword="null"/> when absent or expired.</returns>
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes a value, replacing any previous one.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="ttl">Time to live; <see langword="null"/> keeps it until deleted (and, embedded, across restarts).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SetAsync(string key, string value, TimeSpan? ttl, CancellationToken cancellationToken);

    /// <summary>Writes a value only when the key is absent (Redis <c>SET NX PX</c>): a lease for single-flight work.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value (e.g. the node id holding the lease).</param>
    /// <param name="ttl">Time to live of the lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when this call created the key.</returns>
    Task<bool> TrySetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Deletes a key; absent keys are fine.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
