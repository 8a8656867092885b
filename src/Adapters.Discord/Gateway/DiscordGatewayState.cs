namespace OpenClaw.Channels.Discord;

/// <summary>The gateway's state as shown by the health check: shared by the gateway worker and its shards (writers)
/// and <see cref="DiscordHealthCheck"/> (reader). A worker-wide status (not started, disabled, failed, standby) and
/// one status per shard this node holds; <see cref="Current"/> reports the worst shard. Thread-safe.</summary>
internal sealed class DiscordGatewayState
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, (DiscordGatewayStatus Status, string? Reason)> _shards = [];
    private DiscordGatewayStatus _status = DiscordGatewayStatus.NotStarted;
    private string? _reason;
    private int? _closeCode;

    /// <summary>Current status and, for <see cref="DiscordGatewayStatus.Failed"/> or reconnects, why: the worker's
    /// status while it holds no shard, else the least ready shard's (Connecting/Reconnecting before Ready).</summary>
    public (DiscordGatewayStatus Status, string? Reason) Current
    {
        get
        {
            lock (_gate)
            {
                if (_status is DiscordGatewayStatus.Failed or DiscordGatewayStatus.Disabled || _shards.Count == 0)
                {
                    return (_status, _reason);
                }

                foreach (var (shardId, shard) in _shards)
                {
                    if (shard.Status != DiscordGatewayStatus.Ready)
                    {
                        return (shard.Status, Shard(shardId, shard.Reason));
                    }
                }

                return (DiscordGatewayStatus.Ready, null);
            }
        }
    }

    /// <summary>The gateway close code that goes with <see cref="Current"/>'s reason, or null.</summary>
    public int? CloseCode
    {
        get
        {
            lock (_gate)
            {
                return _closeCode;
            }
        }
    }

    /// <summary>The shards this node holds now, in order.</summary>
    public IReadOnlyList<int> HeldShards
    {
        get
        {
            lock (_gate)
            {
                return [.. _shards.Keys];
            }
        }
    }

    /// <summary>Sets the worker-wide status; a <see cref="DiscordGatewayStatus.Failed"/> state is final.</summary>
    public void Set(DiscordGatewayStatus status, string? reason = null, int? closeCode = null)
    {
        lock (_gate)
        {
            if (_status != DiscordGatewayStatus.Failed)
            {
                _status = status;
                _reason = reason;
                _closeCode = closeCode;
            }
        }
    }

    /// <summary>Sets the status of shard <paramref name="shardId"/>, which this node holds.</summary>
    public void SetShard(int shardId, DiscordGatewayStatus status, string? reason = null)
    {
        lock (_gate)
        {
            _shards[shardId] = (status, reason);
        }
    }

    /// <summary>Forgets shard <paramref name="shardId"/>: this node no longer holds it.</summary>
    public void ClearShard(int shardId)
    {
        lock (_gate)
        {
            _shards.Remove(shardId);
        }
    }

    private string? Shard(int shardId, string? reason)
        => _shards.Count == 1 && shardId == 0 ? reason : FormattableString.Invariant($"shard {shardId}: {reason ?? "no reason"}");
}
