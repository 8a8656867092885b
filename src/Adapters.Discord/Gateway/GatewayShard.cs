using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Discord;

/// <summary>One shard's gateway session while this node holds the shard: Hello → heartbeats
/// (<see cref="GatewayHeartbeat"/>), Identify with <c>shard: [id, count]</c> paced by <see cref="GatewayIdentifyGate"/>
/// or Resume (op 6) with the session kept in <see cref="GatewaySessionStore"/>, dispatches to
/// <see cref="GatewayDispatcher"/>, and reconnects as <see cref="GatewayReconnectPolicy"/> says. Follows
/// discord.com/developers/docs/events/gateway (#sharding, #resuming) and topics/opcodes-and-status-codes.</summary>
internal sealed class GatewayShard
{
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(1);

    private readonly int _shardId;
    private readonly GatewayTopology _topology;
    private readonly DiscordOptions _options;
    private readonly GatewayIdentifyGate _identifyGate;
    private readonly GatewaySessionStore _sessions;
    private readonly DiscordGatewayState _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GatewayReconnectPolicy _policy;
    private readonly GatewaySession _session = new();
    private readonly GatewayDispatcher _dispatcher;
    private bool _connectionReady;
    private long _savedAt;

    public GatewayShard(int shardId, GatewayTopology topology, GatewayShardServices services)
    {
        _shardId = shardId;
        _topology = topology;
        _options = services.Options;
        _identifyGate = services.IdentifyGate;
        _sessions = services.Sessions;
        _state = services.State;
        _time = services.Time;
        _logger = services.Logger;
        _policy = new GatewayReconnectPolicy(_options);
        _dispatcher = new GatewayDispatcher(_options, services.Rest, services.Normalizer, services.Scopes, _session, _logger);
    }

    private string SessionKey => _topology.SessionKey(_shardId);

    /// <summary>Runs the shard until <paramref name="stoppingToken"/> (the host stops) or <paramref name="leaseToken"/>
    /// (the lease is lost or handed over) is cancelled; the session is kept in the store for the next holder.</summary>
    /// <returns><see langword="null"/> when cancelled; otherwise an outcome with <see cref="GatewayNext.Stop"/> or
    /// <see cref="GatewayNext.Reshard"/>.</returns>
    public async Task<GatewayOutcome?> RunAsync(CancellationToken stoppingToken, CancellationToken leaseToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseToken);
        var token = run.Token;
        try
        {
            // Another node may have held this shard: resume its session where it stopped.
            await _sessions.LoadAsync(SessionKey, _session, token).ConfigureAwait(false);
            return await ReconnectLoopAsync(stoppingToken, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            _state.ClearShard(_shardId);
            await SaveAsync(force: true).ConfigureAwait(false);
        }
    }

    private async Task<GatewayOutcome?> ReconnectLoopAsync(CancellationToken stoppingToken, CancellationToken token)
    {
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            GatewayOutcome outcome;
            try
            {
                _state.SetShard(_shardId, DiscordGatewayStatus.Connecting);
                var resume = _session.CanResume;
                outcome = await RunConnectionAsync(resume ? _session.ResumeUrl ?? _topology.Url : _topology.Url, resume, stoppingToken, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or DiscordApiException or IOException or JsonException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                DiscordGatewayLog.ConnectionError(_logger, ex.GetType().Name, ex.Message);
                outcome = new GatewayOutcome(GatewayNext.Resume, "connection error: " + ex.GetType().Name);
            }

            if (outcome.Next is GatewayNext.Stop or GatewayNext.Reshard)
            {
                _session.Reset();
                return outcome;
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
            _state.SetShard(_shardId, DiscordGatewayStatus.Reconnecting, outcome.Reason);
            DiscordGatewayLog.Reconnecting(_logger, outcome.Reason, outcome.Next.ToString(), (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, token).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<GatewayOutcome> RunConnectionAsync(string url, bool resume, CancellationToken stoppingToken, CancellationToken token)
    {
        _connectionReady = false;
        using var link = new GatewayLink();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (!resume)
        {
            // Take the identify slot before connecting: while we wait no frames (ACKs) would be read.
            await _identifyGate.WaitAsync(_topology.BotKey, _shardId, _topology.MaxConcurrency, token).ConfigureAwait(false);
        }

        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(token);
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
                await _identifyGate.BeforeSendAsync(_topology.BotKey, _shardId, _topology.MaxConcurrency, connection.Token).ConfigureAwait(false);
                DiscordGatewayLog.Identifying(_logger, _options.Intents);
                await link.SendAsync(IdentifyPayload(), connection.Token).ConfigureAwait(false);
            }

            while (true)
            {
                using var frame = await link.ReceiveAsync(connection.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    // The server's close code is its answer, also when the heartbeat has just given the connection up as
                    // a zombie (the beat sent after the server's close is never ACKed): a 4004 must stop, not resume.
                    var closed = GatewayReconnectPolicy.CloseOutcome(link.Socket, null) with { ReachedReady = reachedReady };
                    return link.Zombie && closed.Next == GatewayNext.Resume
                        ? new GatewayOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK", TimeSpan.Zero, reachedReady)
                        : closed;
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
                            _state.SetShard(_shardId, DiscordGatewayStatus.Ready);
                        }

                        if (!handled)
                        {
                            await link.CloseAsync(GatewayLink.ResumableClose, "pipeline failure", token, handshake: true).ConfigureAwait(false);
                            return new GatewayOutcome(GatewayNext.Resume, "the inbound pipeline failed; resuming to get the event replayed", null, reachedReady);
                        }

                        // Stored at once after READY and after each message handed to the hub, so a takeover replays as
                        // little as possible; other events at most once per second.
                        var type = root.TryGetProperty("t", out var t) ? t.GetString() : null;
                        await SaveAsync(force: ready || type is "MESSAGE_CREATE" or "INTERACTION_CREATE").ConfigureAwait(false);
                        break;
                    case 1:
                        await link.SendAsync(new JsonObject { ["op"] = 1, ["d"] = _session.LastSeq }, connection.Token).ConfigureAwait(false);
                        break;
                    case 7:
                        await link.CloseAsync(GatewayLink.ResumableClose, "reconnect requested", token, handshake: true).ConfigureAwait(false);
                        return new GatewayOutcome(GatewayNext.Resume, "Reconnect (op 7)", TimeSpan.Zero, reachedReady);
                    case 9:
                        var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                        await link.CloseAsync(resumable ? GatewayLink.ResumableClose : WebSocketCloseStatus.NormalClosure, "invalid session", token, handshake: true).ConfigureAwait(false);
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
        catch (OperationCanceledException) when (link.Zombie && !token.IsCancellationRequested)
        {
            return new GatewayOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK", TimeSpan.Zero, reachedReady);
        }
        catch (WebSocketException) when (link.Zombie && !token.IsCancellationRequested)
        {
            return new GatewayOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK", TimeSpan.Zero, reachedReady);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (token.IsCancellationRequested && link.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // Shutting down: a normal close ends the session (1000 invalidates it, which is what we want here).
                // Lease lost or handed over: a resumable close, so the next holder resumes the session.
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await (stoppingToken.IsCancellationRequested
                    ? link.CloseAsync(WebSocketCloseStatus.NormalClosure, "shutdown", closeTimeout.Token)
                    : link.CloseAsync(GatewayLink.ResumableClose, "shard handed over", closeTimeout.Token, handshake: true)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stores the session (at most once per second unless <paramref name="force"/>). Store failures are
    /// logged, not thrown: the next holder then resumes from an older sequence (the hub's dedupe drops replayed
    /// messages) or, when Discord refuses the resume (op 9), identifies.</summary>
    private async Task SaveAsync(bool force)
    {
        if (!force && _time.GetElapsedTime(_savedAt) < SaveEvery)
        {
            return;
        }

        _savedAt = _time.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _sessions.SaveAsync(SessionKey, _session, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DiscordGatewayLog.SessionSaveFailed(_logger, _shardId, ex.GetType().Name);
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
                ["shard"] = new JsonArray(_shardId, _topology.ShardCount),
                ["properties"] = new JsonObject { ["os"] = os, ["browser"] = "openclaw-channels", ["device"] = "openclaw-channels" },
            },
        };
    }
}
