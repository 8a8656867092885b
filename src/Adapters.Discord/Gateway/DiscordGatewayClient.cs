using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Discord;

/// <summary>The Discord Gateway v10 client (JSON encoding), run as a hosted worker: Hello → heartbeats with initial
/// jitter and zombie detection (<see cref="GatewayHeartbeat"/>), Identify honouring the identify rate limit
/// (<see cref="GatewayIdentifyGate"/>), Resume after disconnects, Reconnect (op 7), Invalid Session (op 9), and close
/// codes that forbid reconnecting (<see cref="GatewayReconnectPolicy"/>). Dispatches go to
/// <see cref="GatewayDispatcher"/>; frames through <see cref="GatewayLink"/>. Follows
/// discord.com/developers/docs/events/gateway and topics/opcodes-and-status-codes.</summary>
internal sealed class DiscordGatewayClient : BackgroundService
{
    private readonly DiscordOptions _options;
    private readonly DiscordRestClient _rest;
    private readonly DiscordGatewayState _state;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordGatewayClient> _logger;
    private readonly GatewayReconnectPolicy _policy;
    private readonly GatewayIdentifyGate _identifyGate;
    private readonly GatewaySession _session = new();
    private readonly GatewayDispatcher _dispatcher;

    private string? _gatewayUrl;
    private bool _connectionReady;

    public DiscordGatewayClient(
        IOptions<DiscordOptions> options,
        DiscordRestClient rest,
        DiscordNormalizer normalizer,
        DiscordGatewayState state,
        IServiceScopeFactory scopes,
        TimeProvider time,
        ILogger<DiscordGatewayClient> logger,
        IHostApplicationLifetime? lifetime = null)
    {
        _options = options.Value;
        _rest = rest;
        _state = state;
        _time = time;
        _logger = logger;
        _lifetime = lifetime;
        _policy = new GatewayReconnectPolicy(_options);
        _identifyGate = new GatewayIdentifyGate(_options, time);
        _dispatcher = new GatewayDispatcher(_options, rest, normalizer, scopes, _session, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.GatewayEnabled)
        {
            _state.Set(DiscordGatewayStatus.Disabled);
            return;
        }

        if (string.IsNullOrEmpty(_options.BotToken))
        {
            Fail("no BotToken configured");
            return;
        }

        await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            GatewayOutcome outcome;
            try
            {
                _state.Set(DiscordGatewayStatus.Connecting);
                _gatewayUrl ??= await ResolveGatewayUrlAsync(stoppingToken).ConfigureAwait(false);
                var resume = _session.CanResume;
                outcome = await RunConnectionAsync(resume ? _session.ResumeUrl ?? _gatewayUrl : _gatewayUrl, resume, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (DiscordApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized)
            {
                outcome = new GatewayOutcome(GatewayNext.Stop, "authentication failed: check Channels:Discord:BotToken (GET /gateway/bot answered 401)");
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or DiscordApiException or IOException or JsonException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                DiscordGatewayLog.ConnectionError(_logger, ex.GetType().Name, ex.Message);
                outcome = new GatewayOutcome(GatewayNext.Resume, "connection error: " + ex.GetType().Name);
            }

            if (outcome.Next == GatewayNext.Stop)
            {
                Fail(outcome.Reason, outcome.CloseCode);
                return;
            }

            // A connection that got READY/RESUMED counts as working even when it later ended with an exception.
            var worked = outcome.ReachedReady || _connectionReady;
            failures = worked ? 0 : failures + 1;
            if (outcome.Next == GatewayNext.NewSession || (failures >= GatewayReconnectPolicy.MaxResumeFailures && _session.SessionId is not null))
            {
                // A session that cannot be resumed after several tries is likely gone; start over on the main URL.
                _session.Reset();
            }

            // Protocol-requested waits (op 9) always apply; an immediate retry only after a connection that worked,
            // so a server repeating op 7 or dropping us at once meets the backoff instead of a tight loop.
            var delay = outcome.Delay is { } asked && (asked > TimeSpan.Zero || worked) ? asked : _policy.Backoff(failures);
            _state.Set(DiscordGatewayStatus.Reconnecting, outcome.Reason);
            DiscordGatewayLog.Reconnecting(_logger, outcome.Reason, outcome.Next.ToString(), (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (_lifetime is null || _lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }

        if (!await StartGate.WaitAsync(_lifetime.ApplicationStarted, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<string> ResolveGatewayUrlAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_options.GatewayUrl))
        {
            return _options.GatewayUrl;
        }

        var info = await _rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        _identifyGate.MaxConcurrency = info.MaxConcurrency;
        if (info.Remaining <= 0 && info.ResetAfterMs > 0)
        {
            // Going over the daily session starts resets the token; wait for the reset instead.
            DiscordGatewayLog.SessionStartsExhausted(_logger, info.ResetAfterMs);
            await Task.Delay(TimeSpan.FromMilliseconds(info.ResetAfterMs), _time, cancellationToken).ConfigureAwait(false);
        }

        return info.Url;
    }

    private async Task<GatewayOutcome> RunConnectionAsync(string url, bool resume, CancellationToken stoppingToken)
    {
        _connectionReady = false;
        using var link = new GatewayLink();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (!resume)
        {
            // Wait for the identify budget before connecting: while we wait no frames (ACKs) would be read.
            await _identifyGate.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        handshake.CancelAfter(_options.GatewayHandshakeTimeoutMs);
        await link.ConnectAsync(url, handshake.Token).ConfigureAwait(false);

        using (var hello = await link.ReceiveAsync(handshake.Token).ConfigureAwait(false))
        {
            if (hello is null || GatewayLink.Op(hello.RootElement) != 10)
            {
                return GatewayReconnectPolicy.CloseOutcome(link.Socket, "no Hello");
            }

            link.HeartbeatIntervalMs = hello.RootElement.GetProperty("d").GetProperty("heartbeat_interval").GetInt32();
        }

        var heartbeat = GatewayHeartbeat.RunAsync(link, connection, () => _session.LastSeq, _time, _logger);
        var reachedReady = false;
        try
        {
            if (resume)
            {
                DiscordGatewayLog.Resuming(_logger, _session.LastSeq ?? 0);
                await link.SendAsync(new JsonObject
                {
                    ["op"] = 6,
                    ["d"] = new JsonObject { ["token"] = _options.BotToken, ["session_id"] = _session.SessionId, ["seq"] = _session.LastSeq },
                }, connection.Token).ConfigureAwait(false);
            }
            else
            {
                // One connection at a time, so nothing can identify between the gate and this send.
                await _identifyGate.WaitAsync(connection.Token).ConfigureAwait(false);
                _identifyGate.Record();
                DiscordGatewayLog.Identifying(_logger, _options.Intents);
                await link.SendAsync(IdentifyPayload(), connection.Token).ConfigureAwait(false);
            }

            while (true)
            {
                using var frame = await link.ReceiveAsync(connection.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    return link.Zombie
                        ? new GatewayOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK", TimeSpan.Zero, reachedReady)
                        : GatewayReconnectPolicy.CloseOutcome(link.Socket, null) with { ReachedReady = reachedReady };
                }

                var root = frame.RootElement;
                switch (GatewayLink.Op(root))
                {
                    case 0:
                        var (handled, ready) = await _dispatcher.DispatchAsync(root, connection.Token).ConfigureAwait(false);
                        reachedReady |= ready;
                        if (ready)
                        {
                            _connectionReady = true;
                            _state.Set(DiscordGatewayStatus.Ready);
                        }

                        if (!handled)
                        {
                            await link.CloseAsync(GatewayLink.ResumableClose, "pipeline failure", stoppingToken, handshake: true).ConfigureAwait(false);
                            return new GatewayOutcome(GatewayNext.Resume, "the inbound pipeline failed; resuming to get the event replayed", null, reachedReady);
                        }

                        break;
                    case 1:
                        await link.SendAsync(new JsonObject { ["op"] = 1, ["d"] = _session.LastSeq }, connection.Token).ConfigureAwait(false);
                        break;
                    case 7:
                        await link.CloseAsync(GatewayLink.ResumableClose, "reconnect requested", stoppingToken, handshake: true).ConfigureAwait(false);
                        return new GatewayOutcome(GatewayNext.Resume, "Reconnect (op 7)", TimeSpan.Zero, reachedReady);
                    case 9:
                        var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                        await link.CloseAsync(resumable ? GatewayLink.ResumableClose : WebSocketCloseStatus.NormalClosure, "invalid session", stoppingToken, handshake: true).ConfigureAwait(false);
                        return new GatewayOutcome(
                            resumable ? GatewayNext.Resume : GatewayNext.NewSession,
                            resumable ? "Invalid Session (op 9, resumable)" : "Invalid Session (op 9, not resumable)",
                            _policy.InvalidSessionDelay(),
                            reachedReady);
                    case 11:
                        link.Acked = true;
                        break;
                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (link.Zombie && !stoppingToken.IsCancellationRequested)
        {
            return new GatewayOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK", TimeSpan.Zero, reachedReady);
        }
        catch (WebSocketException) when (link.Zombie && !stoppingToken.IsCancellationRequested)
        {
            return new GatewayOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK", TimeSpan.Zero, reachedReady);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested && link.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // Shutting down: a normal close ends the session (1000 invalidates it, which is what we want here).
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await link.CloseAsync(WebSocketCloseStatus.NormalClosure, "shutdown", closeTimeout.Token).ConfigureAwait(false);
            }
        }
    }

    private JsonObject IdentifyPayload()
    {
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux";
        return new JsonObject
        {
            ["op"] = 2,
            ["d"] = new JsonObject
            {
                ["token"] = _options.BotToken,
                ["intents"] = _options.Intents,
                ["properties"] = new JsonObject { ["os"] = os, ["browser"] = "openclaw-channels", ["device"] = "openclaw-channels" },
            },
        };
    }

    private void Fail(string reason, int? closeCode = null)
    {
        _state.Set(DiscordGatewayStatus.Failed, reason, closeCode);
        DiscordGatewayLog.Stopped(_logger, reason);
    }
}
