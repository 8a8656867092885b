namespace OpenClaw.Channels;

/// <summary>Settings of <see cref="ConnectionOwnership"/>. The hub fills them from <c>Hub:NodeId</c>,
/// <c>Hub:NodeTtlMs</c> and <c>Hub:NodeHeartbeatMs</c>, so a connection moves when its node would leave the ring.</summary>
public sealed class ConnectionOwnershipOptions
{
    /// <summary>This node's id, the owner written into each lease. Default <c>local</c> (a cluster of one).</summary>
    public string NodeId { get; set; } = "local";

    /// <summary>How long a lease lasts after its last renewal; an owner that died leaves its connections to the other
    /// nodes after this long. Default 10 s.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a held lease is renewed and a wanted one is tried again. Must be well below
    /// <see cref="Ttl"/>. Default 2 s.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long before the store could expire the lease the holder already treats it as lost (and closes its
    /// connection), measured from the start of the last successful renewal. <see langword="null"/>: a fifth of
    /// <see cref="Ttl"/>.</summary>
    public TimeSpan? SafetyMargin { get; set; }

    /// <summary>Called when a renewal fails with an exception (store unreachable); the lease is kept until its local
    /// deadline and renewal goes on. Use it to log.</summary>
    public Action<ConnectionLease, Exception>? RenewFailed { get; set; }

    /// <summary>Called when this node was granted a lease (use it to log which connections the node owns).</summary>
    public Action<ConnectionLease>? Acquired { get; set; }

    /// <summary>Called once when a held lease ends: <c>true</c> when it was lost (renewal refused or not in time),
    /// <c>false</c> when it was released.</summary>
    public Action<ConnectionLease, bool>? Ended { get; set; }

    /// <summary>The ids of the cluster's live nodes (the hub's node registry), read through
    /// <see cref="ConnectionOwnership.GetLiveNodesAsync"/> to spread several connections (Discord shards) over the nodes.
    /// <see langword="null"/>: this node alone.</summary>
    public Func<CancellationToken, Task<IReadOnlyList<string>>>? LiveNodes { get; set; }

    internal TimeSpan EffectiveMargin => SafetyMargin ?? Ttl / 5;
}
