using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Discord;

/// <summary>The heartbeat of one connection (discord.com/developers/docs/events/gateway#sending-heartbeats): the first
/// beat after <c>heartbeat_interval</c> × jitter (uniform in [0, 1)), then one per interval carrying the last sequence
/// number; a beat whose predecessor got no ACK (op 11) marks the connection a zombie, closes it with a resumable code
/// and cuts it off after 1 s.</summary>
internal static class GatewayHeartbeat
{
    /// <summary>Beats until <paramref name="connection"/> is cancelled or the connection is found dead.</summary>
    public static async Task RunAsync(GatewayLink link, CancellationTokenSource connection, Func<long?> lastSeq, TimeProvider time, ILogger logger)
    {
        var token = connection.Token;
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(link.HeartbeatIntervalMs * Random.Shared.NextDouble()), time, token).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                if (!link.Acked)
                {
                    link.Zombie = true;
                    DiscordGatewayLog.Zombie(logger);
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await link.CloseAsync(GatewayLink.ResumableClose, "zombie", closeTimeout.Token).ConfigureAwait(false);

                    // Give a live server a moment to answer the close; a dead one is cut off by the cancel.
                    connection.CancelAfter(TimeSpan.FromSeconds(1));
                    return;
                }

                link.Acked = false;
                await link.SendAsync(new JsonObject { ["op"] = 1, ["d"] = lastSeq() }, token).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(link.HeartbeatIntervalMs), time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
        catch (WebSocketException ex)
        {
            DiscordGatewayLog.ConnectionError(logger, ex.GetType().Name, ex.Message);
        }
    }
}
