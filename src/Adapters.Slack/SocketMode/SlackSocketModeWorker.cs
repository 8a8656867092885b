using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Keeps the app's Slack Socket Mode connections up (docs.slack.dev/apis/events-api/using-socket-mode/):
/// <see cref="SlackOptions.SocketConnections"/> connections across the whole cluster (Slack allows up to 10 per app and
/// spreads the events over them). Each connection is a slot, a lease of <see cref="ConnectionOwnership"/>
/// (<see cref="LeaseResource"/>): the node holding it keeps the connection up and closes it before the lease can expire
/// when it loses it; a dead node's slots are taken by the live nodes. The slots spread over the live nodes: a node holds
/// at most its share, ceil(slots / live nodes); a free slot is taken at once by its preferred node (slot <c>i</c>: the
/// <c>i % n</c>-th live node in ordinal order) and by any node under its share once it stayed free for two renewal
/// periods (in its first six renewal periods a node takes one slot and no more, so nodes started together spread
/// without moving a connection); a node under its share that finds the slots held elsewhere asks for one (a
/// short-lived "want" key in <see cref="IChannelStateStore"/>), and a node over its share then closes one connection and releases its lease, so
/// the cluster never has more than <see cref="SlackOptions.SocketConnections"/> open and is one short for at most about
/// a renewal period. Per slot: opens the connection with
/// <c>apps.connections.open</c> and the app-level token, waits for <c>hello</c>; on <c>disconnect</c> opens the next
/// connection first and then closes the old one; after a failure reconnects with exponential backoff and jitter. A
/// <c>disconnect</c> with reason <c>link_disabled</c> (Socket Mode switched off) stops it for good and the health check
/// reports why.</summary>
internal sealed class SlackSocketModeWorker(
    SlackApiClient api,
    SlackInboundProcessor processor,
    SlackSocketModeState state,
    ConnectionOwnership ownership,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackSocketModeWorker> logger,
    IChannelStateStore? store = null) : BackgroundService
{
    // The slots this node holds now, each with the token that hands it over; and how many it holds or is taking.
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _held = new();
    private int _reserved;
    private long _startedAt;

    /// <summary>The <c>disconnect</c> reason Slack sends when Socket Mode is turned off for the app.</summary>
    public const string LinkDisabled = "link_disabled";

    /// <summary>What the health check reports after <see cref="LinkDisabled"/>.</summary>
    public const string LinkDisabledReason = "Socket Mode was disabled for the app (disconnect reason link_disabled): turn Socket Mode on in the app settings (api.slack.com/apps) and restart the hub";

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The lease resource of connection slot <paramref name="slot"/> (0-based) of the app whose app-level token
    /// is <paramref name="appToken"/>: <c>slack:{first 12 hex digits of SHA-256(token)}:socket:{slot}</c> (the token
    /// itself is never written).</summary>
    public static string LeaseResource(string appToken, int slot)
        => string.Concat("slack:", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appToken)))[..12], ":socket:", slot.ToString(CultureInfo.InvariantCulture));

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        _startedAt = timeProvider.GetTimestamp();
        return Task.WhenAll(Enumerable.Range(0, o.SocketConnections).Select(slot => HoldSlotAsync(slot, stoppingToken)).Append(BalanceAsync(stoppingToken)));
    }

    /// <summary>Takes the slot's lease when this node is under its share (waiting while another node holds it) and keeps
    /// its connection up while held.</summary>
    private async Task HoldSlotAsync(int slot, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var resource = LeaseResource(o.AppToken!, slot);
        var failures = 0;
        var elsewhere = false;
        void SetElsewhere(bool value)
        {
            if (value != elsewhere)
            {
                elsewhere = value;
                state.AddElsewhere(value ? 1 : -1);
            }
        }

        var freeSince = (long?)null;
        while (!stoppingToken.IsCancellationRequested && state.StoppedReason is null)
        {
            OwnedConnection owned;
            try
            {
                var taken = await TryTakeAsync(slot, resource, freeSince, stoppingToken).ConfigureAwait(false);
                if (taken.Owned is null)
                {
                    // Held by another node (this node is a standby for it), or this node has its share.
                    SetElsewhere(taken.Holder is not null);
                    freeSince = taken.Holder is null ? freeSince ?? timeProvider.GetTimestamp() : null;
                    await Task.Delay(ownership.RenewInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                SetElsewhere(false);
                freeSince = null;
                owned = taken.Owned;
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                SetElsewhere(false);
                return;
            }
            catch (Exception e)
            {
                var delay = Backoff(o, failures++);
                SlackLog.SocketSlotLeaseFailed(logger, resource, delay.TotalMilliseconds, e);
                try
                {
                    await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            await using (owned.ConfigureAwait(false))
            {
                SlackLog.SocketSlotOwned(logger, resource, ownership.NodeId, owned.Lease.FencingToken);
                state.AddSlot(1);
                using var handOver = new CancellationTokenSource();
                _held[slot] = handOver;
                try
                {
                    using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, owned.Lost, handOver.Token);
                    await RunConnectionAsync(o, held.Token).ConfigureAwait(false);
                }
                finally
                {
                    _held.TryRemove(slot, out _);
                    state.AddSlot(-1);
                }

                if (!stoppingToken.IsCancellationRequested && state.StoppedReason is null && !handOver.IsCancellationRequested)
                {
                    SlackLog.SocketSlotLost(logger, resource);
                }
            }

            // The connection is closed; disposing the lease released it (or it was lost).
            Interlocked.Decrement(ref _reserved);
        }

        SetElsewhere(false);
    }

    /// <summary>One attempt at the slot: taken when this node is under its share and the slot is free (at once when this
    /// node is its preferred node, else once it stayed free for two renewal periods); a node under its share that finds
    /// it held by another node asks for a slot.</summary>
    private async Task<(OwnedConnection? Owned, ConnectionLease? Holder)> TryTakeAsync(int slot, string resource, long? freeSince, CancellationToken cancellationToken)
    {
        var live = await ownership.GetLiveNodesAsync(cancellationToken).ConfigureAwait(false);
        var share = Share(live.Count);
        var holder = await ownership.GetOwnerAsync(resource, cancellationToken).ConfigureAwait(false);
        var stale = holder is not null && holder.Owner == ownership.NodeId; // this node's lease from before a restart
        if (holder is not null && !stale)
        {
            if (holder.Owner != ownership.NodeId && Volatile.Read(ref _reserved) < share && store is not null)
            {
                await store.SetAsync(WantKey, ownership.NodeId, ownership.RenewInterval * 3, cancellationToken).ConfigureAwait(false);
            }

            return (null, holder);
        }

        var preferred = live[slot % live.Count] == ownership.NodeId;
        var freeLong = freeSince is { } since && timeProvider.GetElapsedTime(since) >= ownership.RenewInterval * 2;

        // Starting: nodes started together may not be in the registry yet. Take one slot and no more for six renewal
        // periods (about the node TTL), so the slots spread without moving a connection.
        if (timeProvider.GetElapsedTime(_startedAt) < ownership.RenewInterval * 6 && Volatile.Read(ref _reserved) >= 1)
        {
            return (null, null);
        }

        if (!(preferred || freeLong || stale) || !TryReserve(share))
        {
            return (null, null);
        }

        OwnedConnection? owned = null;
        try
        {
            owned = await ownership.TryAcquireAsync(resource, cancellationToken).ConfigureAwait(false);
            return (owned, null);
        }
        finally
        {
            if (owned is null)
            {
                Interlocked.Decrement(ref _reserved);
            }
        }
    }

    /// <summary>Every renewal period: when this node holds more than its share and another live node asked for a slot,
    /// closes one connection (preferably of a slot the asking node prefers) and releases its lease.</summary>
    private async Task BalanceAsync(CancellationToken stoppingToken)
    {
        if (store is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested && state.StoppedReason is null)
        {
            try
            {
                await Task.Delay(ownership.RenewInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                var live = await ownership.GetLiveNodesAsync(stoppingToken).ConfigureAwait(false);

                // A slot being handed over stays in _held until its connection has closed (up to CloseTimeout): it no
                // longer counts, and is never handed over twice (the asking node asks again while it waits for it).
                var slots = _held.Where(h => !h.Value.IsCancellationRequested).Select(h => h.Key).Order().ToList();
                if (slots.Count <= Share(live.Count))
                {
                    continue;
                }

                var wanted = await store.GetAsync(WantKey, stoppingToken).ConfigureAwait(false);
                if (wanted is null || wanted == ownership.NodeId || !live.Contains(wanted, StringComparer.Ordinal))
                {
                    continue;
                }

                var slot = slots.Where(s => live[s % live.Count] == wanted).DefaultIfEmpty(slots[^1]).First();
                if (_held.TryGetValue(slot, out var handOver))
                {
                    await store.DeleteAsync(WantKey, stoppingToken).ConfigureAwait(false);
                    SlackLog.SocketSlotHandedOver(logger, LeaseResource(options.Value.AppToken!, slot), wanted);
                    await handOver.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                SlackLog.SocketSlotLeaseFailed(logger, WantKey, ownership.RenewInterval.TotalMilliseconds, e);
            }
        }
    }

    /// <summary>Reserves one of this node's <paramref name="share"/> slots.</summary>
    private bool TryReserve(int share)
    {
        while (true)
        {
            var current = Volatile.Read(ref _reserved);
            if (current >= share)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>This node's share of the slots with <paramref name="liveNodes"/> live: ceil(slots / live nodes).</summary>
    private int Share(int liveNodes) => (options.Value.SocketConnections + Math.Max(1, liveNodes) - 1) / Math.Max(1, liveNodes);

    /// <summary>The state key by which a node under its share asks for a slot (value: its node id).</summary>
    private string WantKey => LeaseResource(options.Value.AppToken!, 0)[..^1] + "want";

    /// <summary>One slot's connection, reconnected until <paramref name="stoppingToken"/> (stopping, or the lease lost)
    /// is cancelled or Slack disabled Socket Mode.</summary>
    private async Task RunConnectionAsync(SlackOptions o, CancellationToken stoppingToken)
    {
        var failures = 0;
        var up = false;
        void SetUp(bool value)
        {
            if (value != up)
            {
                up = value;
                state.AddConnected(value ? 1 : -1);
            }
        }

        SlackSocketConnection? current = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var next = await OpenAsync(o, stoppingToken).ConfigureAwait(false);
                    failures = 0;
                    if (current is not null)
                    {
                        // Reconnect before the old socket closes: the new one is up, now retire the old one.
                        var old = current;
                        await old.CloseAsync(CloseTimeout).ConfigureAwait(false);
                        await old.DisposeAsync().ConfigureAwait(false);
                    }

                    current = next;
                    SetUp(true);
                    var end = await current.Ended.WaitAsync(stoppingToken).ConfigureAwait(false);
                    if (end == "disconnect:" + LinkDisabled)
                    {
                        // Socket Mode was switched off for the app: reconnecting would be refused until it is on again.
                        SetUp(false);
                        state.SetStopped(LinkDisabledReason);
                        SlackLog.SocketModeDisabled(logger);
                        return;
                    }

                    if (end.StartsWith("disconnect:", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    SetUp(false);
                    await current.DisposeAsync().ConfigureAwait(false);
                    current = null;
                    throw new IOException("Slack closed the Socket Mode connection.");
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    SetUp(current is not null && !current.Ended.IsCompleted);
                    var delay = Backoff(o, failures++);
                    SlackLog.SocketFailed(logger, delay.TotalMilliseconds, e);
                    await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or the slot's lease was lost.
        }
        finally
        {
            SetUp(false);
            if (current is not null)
            {
                await current.CloseAsync(CloseTimeout).ConfigureAwait(false);
                await current.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<SlackSocketConnection> OpenAsync(SlackOptions o, CancellationToken cancellationToken)
    {
        var response = await api.CallAsync("apps.connections.open", new JsonObject(), o.AppToken!, null, cancellationToken).ConfigureAwait(false);
        var url = response.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new SlackApiException("Slack apps.connections.open: no url in the response.") { Method = "apps.connections.open", ErrorCode = "invalid_response", IsTransient = true };
        }

        var connection = new SlackSocketConnection(state.NextConnectionId(), processor, logger, o.SlashCommandResponseType);
        try
        {
            await connection.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            await connection.Hello.WaitAsync(HelloTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            SlackLog.SocketOpened(logger, connection.Id);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static TimeSpan Backoff(SlackOptions o, int failures)
        => new ExponentialBackoff(o.ReconnectDelay, o.MaxReconnectDelay, Jitter: 0.5).DelayAfter(failures + 1);
}
