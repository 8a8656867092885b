using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Discord;

/// <summary>Holds one shard on exactly one node of the cluster through the fenced lease of
/// <see cref="ConnectionOwnership"/> (resource <see cref="GatewayTopology.LeaseResource"/>). The shards spread over the
/// live nodes (<see cref="ConnectionOwnership.GetLiveNodesAsync"/>): a free shard is taken at once by its preferred node
/// and by any node once it stayed free for two renewal periods; the holder of a shard whose preferred node is another
/// one that asks for it (a short-lived "want" key in <see cref="IChannelStateStore"/>) hands it over. A lost or handed
/// over lease closes the socket first (<see cref="OwnedConnection.Lost"/> fires before the store can expire it); the
/// next holder resumes the stored session.</summary>
internal sealed class GatewayShardLease(
    int shardId,
    GatewayTopology topology,
    GatewayShardServices services,
    ConnectionOwnership ownership,
    IChannelStateStore? state)
{
    private string Resource => topology.LeaseResource(shardId);

    private string WantKey => Resource + ":want";

    /// <summary>Shard <c>i</c> prefers the <c>i % n</c>-th of the <c>n</c> live nodes in ordinal order: the shards
    /// spread evenly, whatever the node ids.</summary>
    private string PreferredNode(IReadOnlyList<string> nodes) => nodes[shardId % nodes.Count];

    /// <summary>Takes, runs and gives up the shard until <paramref name="stoppingToken"/> is cancelled or the shard
    /// ends with <see cref="GatewayNext.Stop"/> or <see cref="GatewayNext.Reshard"/>.</summary>
    /// <returns>That outcome, or <see langword="null"/> when cancelled.</returns>
    public async Task<GatewayOutcome?> RunAsync(CancellationToken stoppingToken)
    {
        var logger = services.Logger;
        var freeSince = (long?)null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var holder = await ownership.GetOwnerAsync(Resource, stoppingToken).ConfigureAwait(false);
                var preferred = PreferredNode(await ownership.GetLiveNodesAsync(stoppingToken).ConfigureAwait(false)) == ownership.NodeId;
                if (holder is null)
                {
                    freeSince ??= services.Time.GetTimestamp();
                    var freeLong = services.Time.GetElapsedTime(freeSince.Value) >= ownership.RenewInterval * 2;
                    if ((preferred || freeLong) && await ownership.TryAcquireAsync(Resource, stoppingToken).ConfigureAwait(false) is { } owned)
                    {
                        freeSince = null;
                        var outcome = await HoldAsync(owned, stoppingToken).ConfigureAwait(false);
                        if (outcome is not null)
                        {
                            return outcome;
                        }

                        continue;
                    }
                }
                else
                {
                    freeSince = null;
                    if (preferred && holder.Owner != ownership.NodeId && state is not null)
                    {
                        // Ask the holder to hand the shard over (it does only while this key names its preferred node).
                        await state.SetAsync(WantKey, ownership.NodeId, ownership.RenewInterval * 3, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                DiscordGatewayLog.ShardLeaseFailed(logger, Resource, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(ownership.RenewInterval, services.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    private async Task<GatewayOutcome?> HoldAsync(OwnedConnection owned, CancellationToken stoppingToken)
    {
        var logger = services.Logger;
        await using (owned.ConfigureAwait(false))
        {
            DiscordGatewayLog.ShardOwned(logger, shardId, topology.ShardCount, ownership.NodeId, Resource, owned.Lease.FencingToken);
            using var held = CancellationTokenSource.CreateLinkedTokenSource(owned.Lost);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held.Token);
            var handover = WatchForHandoverAsync(held, watching.Token);
            var shard = new GatewayShard(shardId, topology, services);
            var outcome = await shard.RunAsync(stoppingToken, held.Token).ConfigureAwait(false);
            await watching.CancelAsync().ConfigureAwait(false);
            var handedOver = await handover.ConfigureAwait(false);
            if (!stoppingToken.IsCancellationRequested)
            {
                DiscordGatewayLog.ShardLeft(logger, shardId, topology.ShardCount, ownership.NodeId, outcome?.Reason ?? (handedOver ? "handed over to its preferred node" : "lease lost"));
            }

            return outcome;
        }
    }

    /// <summary>Cancels <paramref name="held"/> when another live node is preferred for the shard and asks for it.</summary>
    /// <returns>True when it did.</returns>
    private async Task<bool> WatchForHandoverAsync(CancellationTokenSource held, CancellationToken cancellationToken)
    {
        if (state is null)
        {
            return false;
        }

        try
        {
            while (true)
            {
                await Task.Delay(ownership.RenewInterval, services.Time, cancellationToken).ConfigureAwait(false);
                try
                {
                    var preferred = PreferredNode(await ownership.GetLiveNodesAsync(cancellationToken).ConfigureAwait(false));
                    if (preferred == ownership.NodeId)
                    {
                        continue;
                    }

                    var wanted = await state.GetAsync(WantKey, cancellationToken).ConfigureAwait(false);
                    if (wanted is not null && wanted == preferred)
                    {
                        await state.DeleteAsync(WantKey, cancellationToken).ConfigureAwait(false);
                        await held.CancelAsync().ConfigureAwait(false);
                        return true;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    DiscordGatewayLog.ShardLeaseFailed(services.Logger, Resource, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
