using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Keeps one Slack Socket Mode connection up (docs.slack.dev/apis/events-api/using-socket-mode/): opens it with
/// <c>apps.connections.open</c> and the app-level token, waits for <c>hello</c>; on <c>disconnect</c> opens the next
/// connection first and then closes the old one; after a failure reconnects with exponential backoff and jitter. A
/// <c>disconnect</c> with reason <c>link_disabled</c> (Socket Mode switched off) stops it for good and the health check
/// reports why.</summary>
internal sealed class SlackSocketModeWorker(
    SlackApiClient api,
    SlackInboundProcessor processor,
    SlackSocketModeState state,
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var failures = 0;
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
                    state.SetConnected(true);
                    var end = await current.Ended.WaitAsync(stoppingToken).ConfigureAwait(false);
                    if (end == "disconnect:" + LinkDisabled)
                    {
                        // Socket Mode was switched off for the app: reconnecting would be refused until it is on again.
                        state.SetConnected(false);
                        state.SetStopped(LinkDisabledReason);
                        SlackLog.SocketModeDisabled(logger);
                        return;
                    }

                    if (end.StartsWith("disconnect:", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    state.SetConnected(false);
                    await current.DisposeAsync().ConfigureAwait(false);
                    current = null;
                    throw new IOException("Slack closed the Socket Mode connection.");
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    state.SetConnected(current is not null && !current.Ended.IsCompleted);
                    var delay = Backoff(o, failures++);
                    SlackLog.SocketFailed(logger, delay.TotalMilliseconds, e);
                    await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            state.SetConnected(false);
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
