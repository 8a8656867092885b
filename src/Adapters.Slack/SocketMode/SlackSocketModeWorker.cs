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
/// when it loses it; a dead node's slots are taken by the live nodes. Per slot: opens the connection with
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
    ILogger<SlackSocketModeWorker> logger) : BackgroundService
{
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
        return Task.WhenAll(Enumerable.Range(0, o.SocketConnections).Select(slot => HoldSlotAsync(LeaseResource(o.AppToken!, slot), stoppingToken)));
    }

    /// <summary>Takes the slot's lease (waiting while another node holds it) and keeps its connection up while held.</summary>
    private async Task HoldSlotAsync(string resource, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested && state.StoppedReason is null)
        {
            OwnedConnection owned;
            try
            {
                var taken = await ownership.TryAcquireAsync(resource, stoppingToken).ConfigureAwait(false);
                if (taken is null)
                {
                    // Held by another node: this node is a standby for the slot until that node dies.
                    state.AddElsewhere(1);
                    try
                    {
                        taken = await ownership.AcquireAsync(resource, stoppingToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        state.AddElsewhere(-1);
                    }
                }

                owned = taken;
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
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
                try
                {
                    using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, owned.Lost);
                    await RunConnectionAsync(o, held.Token).ConfigureAwait(false);
                }
                finally
                {
                    state.AddSlot(-1);
                }

                if (!stoppingToken.IsCancellationRequested && state.StoppedReason is null)
                {
                    SlackLog.SocketSlotLost(logger, resource);
                }
            }
        }
    }

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
