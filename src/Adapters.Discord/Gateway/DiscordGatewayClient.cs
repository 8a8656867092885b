using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>The Discord Gateway v10 client (JSON encoding), run as a hosted worker: Hello → heartbeats with initial
/// jitter and zombie detection, Identify honouring the identify rate limit, Resume after disconnects, Reconnect
/// (op 7), Invalid Session (op 9), and close codes that forbid reconnecting. <c>MESSAGE_CREATE</c> and (for apps
/// without an Interactions Endpoint URL) <c>INTERACTION_CREATE</c> dispatches are
/// normalized and handed to <see cref="IInboundPipeline"/>. Follows discord.com/developers/docs/events/gateway and
/// topics/opcodes-and-status-codes.</summary>
internal sealed partial class DiscordGatewayClient : BackgroundService
{
    private const int MaxFrameBytes = 4096;
    private const int RecentIdCapacity = 2048;
    private const int MaxResumeFailures = 5;
    private static readonly WebSocketCloseStatus ResumableClose = (WebSocketCloseStatus)4000;

    private readonly DiscordOptions _options;
    private readonly DiscordRestClient _rest;
    private readonly DiscordNormalizer _normalizer;
    private readonly DiscordGatewayState _state;
    private readonly IServiceScopeFactory _scopes;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordGatewayClient> _logger;

    private readonly Queue<DateTimeOffset> _identifies = new();
    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private readonly HashSet<string> _threads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _botRoles = new(StringComparer.Ordinal);

    private string? _gatewayUrl;
    private int _maxConcurrency = 1;
    private string? _sessionId;
    private string? _resumeUrl;
    private string? _selfUserId;
    private string? _accountId;
    private bool _connectionReady;
    private long _seq = -1; // last dispatch sequence; -1 before the first. Read by the heartbeat task.

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
        _normalizer = normalizer;
        _state = state;
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _lifetime = lifetime;
    }

    private long? LastSeq => Volatile.Read(ref _seq) is var s && s >= 0 ? s : null;

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
                var resume = _sessionId is not null && LastSeq is not null;
                outcome = await RunConnectionAsync(resume ? _resumeUrl ?? _gatewayUrl : _gatewayUrl, resume, stoppingToken).ConfigureAwait(false);
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
                LogConnectionError(ex.GetType().Name, ex.Message);
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
            if (outcome.Next == GatewayNext.NewSession || (failures >= MaxResumeFailures && _sessionId is not null))
            {
                // A session that cannot be resumed after several tries is likely gone; start over on the main URL.
                _sessionId = null;
                _resumeUrl = null;
                Volatile.Write(ref _seq, -1);
            }

            // Protocol-requested waits (op 9) always apply; an immediate retry only after a connection that worked,
            // so a server repeating op 7 or dropping us at once meets the backoff instead of a tight loop.
            var delay = outcome.Delay is { } asked && (asked > TimeSpan.Zero || worked) ? asked : Backoff(failures);
            _state.Set(DiscordGatewayStatus.Reconnecting, outcome.Reason);
            LogReconnecting(outcome.Reason, outcome.Next.ToString(), (long)delay.TotalMilliseconds);
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
        _maxConcurrency = info.MaxConcurrency;
        if (info.Remaining <= 0 && info.ResetAfterMs > 0)
        {
            // Going over the daily session starts resets the token; wait for the reset instead.
            LogSessionStartsExhausted(info.ResetAfterMs);
            await Task.Delay(TimeSpan.FromMilliseconds(info.ResetAfterMs), _time, cancellationToken).ConfigureAwait(false);
        }

        return info.Url;
    }

    private async Task<GatewayOutcome> RunConnectionAsync(string url, bool resume, CancellationToken stoppingToken)
    {
        _connectionReady = false;
        using var ws = new ClientWebSocket();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var sendLimiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = 120,
            Window = TimeSpan.FromSeconds(60),
            QueueLimit = 100,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        var link = new Link(ws, sendLimiter);
        if (!resume)
        {
            // Wait for the identify budget before connecting: while we wait no frames (ACKs) would be read.
            await IdentifyGateAsync(stoppingToken).ConfigureAwait(false);
        }

        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        handshake.CancelAfter(_options.GatewayHandshakeTimeoutMs);
        await ws.ConnectAsync(new Uri(WithQuery(url)), handshake.Token).ConfigureAwait(false);

        using (var hello = await ReceiveAsync(ws, handshake.Token).ConfigureAwait(false))
        {
            if (hello is null || Op(hello.RootElement) != 10)
            {
                return CloseOutcome(ws, "no Hello");
            }

            link.HeartbeatIntervalMs = hello.RootElement.GetProperty("d").GetProperty("heartbeat_interval").GetInt32();
        }

        var heartbeat = HeartbeatLoopAsync(link, connection);
        var reachedReady = false;
        try
        {
            if (resume)
            {
                LogResuming(LastSeq ?? 0);
                await SendAsync(link, new JsonObject
                {
                    ["op"] = 6,
                    ["d"] = new JsonObject { ["token"] = _options.BotToken, ["session_id"] = _sessionId, ["seq"] = LastSeq },
                }, connection.Token).ConfigureAwait(false);
            }
            else
            {
                // One connection at a time, so nothing can identify between the gate and this send.
                await IdentifyGateAsync(connection.Token).ConfigureAwait(false);
                RecordIdentify();
                await SendAsync(link, IdentifyPayload(), connection.Token).ConfigureAwait(false);
            }

            while (true)
            {
                using var frame = await ReceiveAsync(ws, connection.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    return link.Zombie
                        ? new GatewayOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK", TimeSpan.Zero, reachedReady)
                        : CloseOutcome(ws, null) with { ReachedReady = reachedReady };
                }

                var root = frame.RootElement;
                switch (Op(root))
                {
                    case 0:
                        var (handled, ready) = await DispatchAsync(root, connection.Token).ConfigureAwait(false);
                        reachedReady |= ready;
                        if (ready)
                        {
                            _connectionReady = true;
                            _state.Set(DiscordGatewayStatus.Ready);
                        }

                        if (!handled)
                        {
                            await CloseAsync(link, ResumableClose, "pipeline failure", stoppingToken, handshake: true).ConfigureAwait(false);
                            return new GatewayOutcome(GatewayNext.Resume, "the inbound pipeline failed; resuming to get the event replayed", null, reachedReady);
                        }

                        break;
                    case 1:
                        await SendAsync(link, new JsonObject { ["op"] = 1, ["d"] = LastSeq }, connection.Token).ConfigureAwait(false);
                        break;
                    case 7:
                        await CloseAsync(link, ResumableClose, "reconnect requested", stoppingToken, handshake: true).ConfigureAwait(false);
                        return new GatewayOutcome(GatewayNext.Resume, "Reconnect (op 7)", TimeSpan.Zero, reachedReady);
                    case 9:
                        var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                        await CloseAsync(link, resumable ? ResumableClose : WebSocketCloseStatus.NormalClosure, "invalid session", stoppingToken, handshake: true).ConfigureAwait(false);
                        return new GatewayOutcome(
                            resumable ? GatewayNext.Resume : GatewayNext.NewSession,
                            resumable ? "Invalid Session (op 9, resumable)" : "Invalid Session (op 9, not resumable)",
                            InvalidSessionDelay(),
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
            if (stoppingToken.IsCancellationRequested && ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // Shutting down: a normal close ends the session (1000 invalidates it, which is what we want here).
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await CloseAsync(link, WebSocketCloseStatus.NormalClosure, "shutdown", closeTimeout.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task HeartbeatLoopAsync(Link link, CancellationTokenSource connection)
    {
        var token = connection.Token;
        try
        {
            // First beat after interval × jitter, jitter uniform in [0, 1).
            await Task.Delay(TimeSpan.FromMilliseconds(link.HeartbeatIntervalMs * Random.Shared.NextDouble()), _time, token).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                if (!link.Acked)
                {
                    link.Zombie = true;
                    LogZombie();
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await CloseAsync(link, ResumableClose, "zombie", closeTimeout.Token).ConfigureAwait(false);

                    // Give a live server a moment to answer the close; a dead one is cut off by the cancel.
                    connection.CancelAfter(TimeSpan.FromSeconds(1));
                    return;
                }

                link.Acked = false;
                await SendAsync(link, new JsonObject { ["op"] = 1, ["d"] = LastSeq }, token).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(link.HeartbeatIntervalMs), _time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
        catch (WebSocketException ex)
        {
            LogConnectionError(ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>Handles one dispatch. Returns whether it was handled (false: the pipeline threw; do not advance the
    /// sequence) and whether it was READY/RESUMED.</summary>
    private async Task<(bool Handled, bool Ready)> DispatchAsync(JsonElement frame, CancellationToken cancellationToken)
    {
        long? s = frame.TryGetProperty("s", out var seq) && seq.ValueKind == JsonValueKind.Number ? seq.GetInt64() : null;
        var type = frame.TryGetProperty("t", out var t) ? t.GetString() : null;
        var d = frame.TryGetProperty("d", out var data) ? data : default;
        var ready = false;
        switch (type)
        {
            case "READY":
                _sessionId = d.GetProperty("session_id").GetString();
                _resumeUrl = d.TryGetProperty("resume_gateway_url", out var ru) ? ru.GetString() : null;
                _selfUserId = d.GetProperty("user").GetProperty("id").GetString();
                var applicationId = d.TryGetProperty("application", out var app) && app.TryGetProperty("id", out var aid) ? aid.GetString() : null;
                _accountId = !string.IsNullOrEmpty(_options.ApplicationId) ? _options.ApplicationId : applicationId ?? _selfUserId;
                LogReady(_selfUserId ?? "?");
                ready = true;
                break;
            case "RESUMED":
                LogResumed();
                ready = true;
                break;
            case "GUILD_CREATE" or "THREAD_LIST_SYNC":
                if (d.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
                {
                    foreach (var role in roles.EnumerateArray())
                    {
                        RememberBotRole(role);
                    }
                }

                if (d.TryGetProperty("threads", out var threads) && threads.ValueKind == JsonValueKind.Array)
                {
                    foreach (var thread in threads.EnumerateArray())
                    {
                        RememberThread(thread);
                    }
                }

                break;
            case "GUILD_ROLE_CREATE" or "GUILD_ROLE_UPDATE":
                if (d.TryGetProperty("role", out var changedRole))
                {
                    RememberBotRole(changedRole);
                }

                break;
            case "GUILD_ROLE_DELETE":
                if (d.TryGetProperty("role_id", out var deletedRole) && deletedRole.GetString() is { } deletedRoleId)
                {
                    _botRoles.Remove(deletedRoleId);
                }

                break;
            case "THREAD_CREATE" or "THREAD_UPDATE":
                RememberThread(d);
                break;
            case "THREAD_DELETE":
                if (d.TryGetProperty("id", out var deleted) && deleted.GetString() is { } deletedId)
                {
                    _threads.Remove(deletedId);
                }

                break;
            case "INTERACTION_CREATE":
                // Interactions arrive over the gateway when the app has no Interactions Endpoint URL.
                if (!await AcceptInteractionAsync(d, cancellationToken).ConfigureAwait(false))
                {
                    return (false, false);
                }

                break;
            case "MESSAGE_CREATE":
                if (!await AcceptMessageAsync(d, cancellationToken).ConfigureAwait(false))
                {
                    return (false, false);
                }

                break;
            default:
                break;
        }

        if (s is not null)
        {
            Volatile.Write(ref _seq, s.Value);
        }

        return (true, ready);
    }

    private async Task<bool> AcceptMessageAsync(JsonElement d, CancellationToken cancellationToken)
    {
        ChannelMessage? message;
        try
        {
            var channelId = d.TryGetProperty("channel_id", out var c) ? c.GetString() : null;
            message = _normalizer.NormalizeMessageCreate(d, _selfUserId, _accountId ?? _selfUserId ?? string.Empty, channelId is not null && _threads.Contains(channelId), _botRoles);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            LogMalformed(ex.GetType().Name);
            return true;
        }

        // A resume replays events: drop ids already handed over on this process.
        if (message is null || _recentIds.Contains(message.PlatformMessageId))
        {
            return true;
        }

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var pipeline = scope.ServiceProvider.GetRequiredService<IInboundPipeline>();
            var result = await pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
            LogAccepted(message.PlatformMessageId, result.Outcome.ToString());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPipelineFailed(message.PlatformMessageId, ex.GetType().Name);
            return false;
        }

        Remember(message.PlatformMessageId);
        return true;
    }

    private async Task<bool> AcceptInteractionAsync(JsonElement d, CancellationToken cancellationToken)
    {
        ChannelMessage? message;
        try
        {
            message = _normalizer.NormalizeInteraction(d);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            LogMalformed(ex.GetType().Name);
            return true;
        }

        if (message is null || _recentIds.Contains(message.PlatformMessageId))
        {
            return true;
        }

        InboundResult result;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var pipeline = scope.ServiceProvider.GetRequiredService<IInboundPipeline>();
            result = await pipeline.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPipelineFailed(message.PlatformMessageId, ex.GetType().Name);
            return false;
        }

        Remember(message.PlatformMessageId);
        var response = DiscordInteractionResponse.ForCommand(result.Outcome);
        try
        {
            await _rest.CreateInteractionResponseAsync(message.PlatformMessageId, message.ReplyContext!, response, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            // The token is dead after 3 s; nothing to retry. The message is already accepted.
            LogInteractionCallbackFailed(message.PlatformMessageId, ex.ErrorCode);
        }

        return true;
    }

    private void Remember(string id)
    {
        if (_recentIds.Add(id))
        {
            _recentOrder.Enqueue(id);
            if (_recentOrder.Count > RecentIdCapacity)
            {
                _recentIds.Remove(_recentOrder.Dequeue());
            }
        }
    }

    // MESSAGE_CREATE does not always say its channel is a thread; remember thread channels the gateway announced.
    /// <summary>Remembers the bot's managed role (the one Discord creates when the bot joins a guild, with
    /// <c>tags.bot_id</c> = the bot's user id; discord.com/developers/docs/topics/permissions#role-object-role-tags-structure):
    /// mentioning it (<c>&lt;@&amp;role&gt;</c>, which Discord's autocomplete often picks) counts as mentioning the bot.</summary>
    private void RememberBotRole(JsonElement role)
    {
        if (_selfUserId is not null && role.ValueKind == JsonValueKind.Object
            && role.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
            && tags.TryGetProperty("bot_id", out var botId) && botId.GetString() == _selfUserId
            && role.TryGetProperty("id", out var id) && id.GetString() is { } roleId)
        {
            _botRoles.Add(roleId);
        }
    }

    private void RememberThread(JsonElement channel)
    {
        if (channel.ValueKind == JsonValueKind.Object
            && channel.TryGetProperty("id", out var id) && id.GetString() is { } threadId
            && channel.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number && type.GetInt32() is 10 or 11 or 12
            && _threads.Count < 100_000)
        {
            _threads.Add(threadId);
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

    /// <summary>Waits until another Identify fits: at most <c>max_concurrency</c> Identify per
    /// <see cref="DiscordOptions.IdentifyWindowMs"/>, counted from when each was sent (<see cref="RecordIdentify"/>).</summary>
    private async Task IdentifyGateAsync(CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMilliseconds(_options.IdentifyWindowMs);
        while (true)
        {
            var now = _time.GetUtcNow();
            while (_identifies.Count > 0 && now - _identifies.Peek() >= window)
            {
                _identifies.Dequeue();
            }

            if (_identifies.Count < _maxConcurrency)
            {
                return;
            }

            await Task.Delay(window - (now - _identifies.Peek()), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void RecordIdentify()
    {
        _identifies.Enqueue(_time.GetUtcNow());
        LogIdentifying(_options.Intents);
    }

    private async Task SendAsync(Link link, JsonObject payload, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        if (bytes.Length > MaxFrameBytes)
        {
            throw new InvalidOperationException($"Gateway frame of {bytes.Length} bytes exceeds {MaxFrameBytes}.");
        }

        using var lease = await link.SendLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        await link.SendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await link.Socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            link.SendLock.Release();
        }
    }

    /// <summary>Sends a close frame. With <paramref name="handshake"/> (only when no receive is pending) it also waits
    /// up to 1 s for the server's close frame, so the code reaches the server before the socket is torn down.</summary>
    private static async Task CloseAsync(Link link, WebSocketCloseStatus status, string description, CancellationToken cancellationToken, bool handshake = false)
    {
        try
        {
            await link.SendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (handshake && link.Socket.State == WebSocketState.Open)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(1));
                    await link.Socket.CloseAsync(status, description, timeout.Token).ConfigureAwait(false);
                }
                else if (link.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await link.Socket.CloseOutputAsync(status, description, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                link.SendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is going away anyway.
        }
    }

    private static async Task<JsonDocument?> ReceiveAsync(ClientWebSocket ws, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var result = await ws.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.WrittenMemory);
            }
        }
    }

    private static GatewayOutcome CloseOutcome(ClientWebSocket ws, string? fallback)
    {
        var code = (int?)ws.CloseStatus;
        var description = ws.CloseStatusDescription;
        var reason = code is null ? fallback ?? "connection closed without a code" : $"closed with {code} {Meaning(code.Value)}{(string.IsNullOrEmpty(description) ? string.Empty : " (" + description + ")")}";
        return code switch
        {
            4004 or 4010 or 4011 or 4012 or 4013 or 4014 => new GatewayOutcome(GatewayNext.Stop, reason, CloseCode: code),
            4007 or 4009 => new GatewayOutcome(GatewayNext.NewSession, reason, CloseCode: code),
            _ => new GatewayOutcome(GatewayNext.Resume, reason, CloseCode: code),
        };
    }

    private static string Meaning(int code) => code switch
    {
        4000 => "unknown error",
        4001 => "unknown opcode",
        4002 => "decode error",
        4003 => "not authenticated",
        4004 => "authentication failed: check Channels:Discord:BotToken",
        4005 => "already authenticated",
        4007 => "invalid seq",
        4008 => "rate limited",
        4009 => "session timed out",
        4010 => "invalid shard",
        4011 => "sharding required",
        4012 => "invalid API version",
        4013 => "invalid intents",
        4014 => "disallowed intents: enable the Message Content intent in the developer portal",
        _ => string.Empty,
    };

    private static int Op(JsonElement frame)
        => frame.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.Number ? op.GetInt32() : -1;

    private static string WithQuery(string url)
    {
        var baseUrl = url.Split('?')[0];
        return string.Concat(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", "?v=10&encoding=json");
    }

    private TimeSpan Backoff(int failures)
        => new ExponentialBackoff(TimeSpan.FromMilliseconds(_options.ReconnectDelayMs), TimeSpan.FromMilliseconds(_options.MaxReconnectDelayMs)).DelayAfter(failures);

    private TimeSpan InvalidSessionDelay()
    {
        var min = Math.Min(_options.InvalidSessionMinDelayMs, _options.InvalidSessionMaxDelayMs);
        var max = Math.Max(_options.InvalidSessionMinDelayMs, _options.InvalidSessionMaxDelayMs);
        return TimeSpan.FromMilliseconds(min + (Random.Shared.NextDouble() * (max - min)));
    }

    private void Fail(string reason, int? closeCode = null)
    {
        _state.Set(DiscordGatewayStatus.Failed, reason, closeCode);
        LogStopped(reason);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord gateway stopped for good, not reconnecting: {Reason}")]
    private partial void LogStopped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway disconnected ({Reason}); next: {Next} in {DelayMs} ms")]
    private partial void LogReconnecting(string reason, string next, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway connection error {Error}: {Message}")]
    private partial void LogConnectionError(string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway zombie connection: no heartbeat ACK since the last beat; closing to resume")]
    private partial void LogZombie();

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway identifying with intents {Intents}")]
    private partial void LogIdentifying(int intents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway resuming from sequence {Seq}")]
    private partial void LogResuming(long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway READY as user {UserId}")]
    private partial void LogReady(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway RESUMED")]
    private partial void LogResumed();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord session starts exhausted; waiting {ResetAfterMs} ms before identifying")]
    private partial void LogSessionStartsExhausted(int resetAfterMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord MESSAGE_CREATE malformed ({Error}); skipped")]
    private partial void LogMalformed(string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord message {MessageId}: {Outcome}")]
    private partial void LogAccepted(string messageId, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbound pipeline failed for Discord message {MessageId} ({Error}); resuming so it is replayed")]
    private partial void LogPipelineFailed(string messageId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord interaction {InteractionId}: initial response refused ({Code})")]
    private partial void LogInteractionCallbackFailed(string interactionId, string? code);

    /// <summary>One connection's socket, send gate, send budget and heartbeat state.</summary>
    private sealed class Link(ClientWebSocket socket, RateLimiter sendLimiter)
    {
        public ClientWebSocket Socket { get; } = socket;

        public RateLimiter SendLimiter { get; } = sendLimiter;

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public int HeartbeatIntervalMs { get; set; }

        public volatile bool Acked = true;

        public volatile bool Zombie;
    }
}
