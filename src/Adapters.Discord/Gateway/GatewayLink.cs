using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;

namespace OpenClaw.Channels.Discord;

/// <summary>One gateway connection's socket and frame I/O: JSON text frames of at most 4,096 bytes out (Discord closes
/// with 4002 for larger ones), at most 120 sends per 60 s (discord.com/developers/docs/events/gateway#rate-limiting),
/// one send at a time, and the heartbeat state the receive loop and the heartbeat share.</summary>
internal sealed class GatewayLink : IDisposable
{
    /// <summary>A close code other than 1000/1001, so the session stays resumable.</summary>
    public static readonly WebSocketCloseStatus ResumableClose = (WebSocketCloseStatus)4000;

    private const int MaxFrameBytes = 4096;

    private readonly FixedWindowRateLimiter _sendLimiter = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = 120,
        Window = TimeSpan.FromSeconds(60),
        QueueLimit = 100,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _acked = true;
    private volatile bool _zombie;

    /// <summary>The socket.</summary>
    public ClientWebSocket Socket { get; } = new();

    /// <summary>Hello's <c>heartbeat_interval</c>, in ms.</summary>
    public int HeartbeatIntervalMs { get; set; }

    /// <summary>False after a heartbeat until its ACK (op 11) arrives.</summary>
    public bool Acked
    {
        get => _acked;
        set => _acked = value;
    }

    /// <summary>True once the heartbeat found the connection dead (no ACK since the last beat).</summary>
    public bool Zombie
    {
        get => _zombie;
        set => _zombie = value;
    }

    /// <summary>Connects to <paramref name="url"/> with <c>?v=10&amp;encoding=json</c>.</summary>
    public Task ConnectAsync(string url, CancellationToken cancellationToken)
        => Socket.ConnectAsync(new Uri(WithQuery(url)), cancellationToken);

    /// <summary>Sends one frame.</summary>
    /// <exception cref="InvalidOperationException">The frame is over 4,096 bytes.</exception>
    public async Task SendAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        if (bytes.Length > MaxFrameBytes)
        {
            throw new InvalidOperationException($"Gateway frame of {bytes.Length} bytes exceeds {MaxFrameBytes}.");
        }

        using var lease = await _sendLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a close frame. With <paramref name="handshake"/> (only when no receive is pending) it also waits
    /// up to 1 s for the server's close frame, so the code reaches the server before the socket is torn down.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken, bool handshake = false)
    {
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (handshake && Socket.State == WebSocketState.Open)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(1));
                    await Socket.CloseAsync(status, description, timeout.Token).ConfigureAwait(false);
                }
                else if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(status, description, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is going away anyway.
        }
    }

    /// <summary>Reads one whole frame.</summary>
    /// <returns>The frame, or <see langword="null"/> when the server closed the connection.</returns>
    public async Task<JsonDocument?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var result = await Socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The frame's opcode, or -1.</summary>
    public static int Op(JsonElement frame)
        => frame.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.Number ? op.GetInt32() : -1;

    public void Dispose()
    {
        Socket.Dispose();
        _sendLimiter.Dispose();
        _sendLock.Dispose();
    }

    private static string WithQuery(string url)
    {
        var baseUrl = url.Split('?')[0];
        return string.Concat(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", "?v=10&encoding=json");
    }
}
