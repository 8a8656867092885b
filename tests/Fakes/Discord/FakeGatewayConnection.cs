using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Discord;

/// <summary>One client connection to <see cref="FakeDiscordServer"/>'s gateway: records every frame the client sent
/// and lets the test script what the server sends (discord.com/developers/docs/events/gateway).</summary>
public sealed class FakeGatewayConnection
{
    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly FakeDiscordServer _server;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<JsonObject> _frames = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _all = [];
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal FakeGatewayConnection(WebSocket socket, HttpContext context, FakeDiscordServer server, string path, string query)
    {
        _socket = socket;
        _context = context;
        _server = server;
        Path = path;
        Query = query;
    }

    /// <summary>The path the client connected to: <c>/gateway</c> or, for resumes, <c>/resume</c>.</summary>
    public string Path { get; }

    /// <summary>The query string, e.g. <c>?v=10&amp;encoding=json</c>.</summary>
    public string Query { get; }

    /// <summary>The shard this connection identified or resumed as, or null before that.</summary>
    public int? ShardId { get; internal set; }

    /// <summary>True once READY or RESUMED was sent on this connection.</summary>
    public bool IsReady { get; internal set; }

    /// <summary>Every frame the client sent so far, in order.</summary>
    public IReadOnlyList<JsonObject> Frames
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Completes when the connection ends: the client's close code, or null when it vanished without one.</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>Waits for the next client frame with opcode <paramref name="op"/> that the fake has handled (after Identify,
    /// READY has been sent), skipping others (they stay in <see cref="Frames"/>).</summary>
    /// <exception cref="TimeoutException">None arrived in time.</exception>
    public async Task<JsonObject> WaitForOpAsync(int op, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                if (frame["op"]?.GetValue<int>() == op)
                {
                    return frame;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No op {op} from the client within {timeout}.");
        }
        catch (ChannelClosedException)
        {
            throw new TimeoutException($"Connection closed before op {op} arrived.");
        }
    }

    /// <summary>Sends a dispatch (op 0) with the next sequence number and records it for replay on resume.</summary>
    /// <returns>The sequence number used.</returns>
    public Task<long> DispatchAsync(string type, JsonNode data) => _server.DispatchAsync(this, type, data);

    /// <summary>Sends a raw frame.</summary>
    public async Task SendAsync(JsonNode frame)
    {
        var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends Reconnect (op 7).</summary>
    public Task SendReconnectAsync() => SendAsync(new JsonObject { ["op"] = 7, ["d"] = null });

    /// <summary>Sends Invalid Session (op 9) with <c>d</c> = <paramref name="resumable"/>.</summary>
    public Task SendInvalidSessionAsync(bool resumable) => SendAsync(new JsonObject { ["op"] = 9, ["d"] = resumable });

    /// <summary>Closes the connection with a gateway close code, e.g. 4004 authentication failed.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the TCP connection without a close frame (a forced disconnect).</summary>
    public void Abort() => _context.Abort();

    internal async Task RunAsync(int heartbeatIntervalMs)
    {
        await SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = heartbeatIntervalMs } });
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, _context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(result.CloseStatus);
                        await CloseReplyAsync();
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (message.Length > 4096)
                {
                    // Discord closes with 4002 decode error for frames over 4,096 bytes.
                    await CloseAsync(4002, "Error while decoding payload.");
                    continue;
                }

                var frame = JsonNode.Parse(message.ToArray())!.AsObject();
                lock (_all)
                {
                    _all.Add(frame);
                }

                try
                {
                    await _server.OnClientFrameAsync(this, frame);
                }
                finally
                {
                    // Seen by WaitForOpAsync only once handled: a test that waited for Identify (op 2) dispatches after
                    // READY, as on Discord, where READY is the first dispatch of a session.
                    _frames.Writer.TryWrite(frame);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or JsonException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    private async Task CloseReplyAsync()
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                var answer = _server.AnswerClientCloseWith is { } code ? (WebSocketCloseStatus)code : WebSocketCloseStatus.NormalClosure;
                await _socket.CloseOutputAsync(answer, string.Empty, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
