using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace OpenClaw.Channels.Fakes.Slack;

/// <summary>The server side of one fake Socket Mode connection: sends frames, records acks (<c>{"envelope_id"}</c>).</summary>
public sealed class FakeSlackSocket
{
    private readonly WebSocket _ws;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentQueue<string> _acks = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _ackWaiters = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal FakeSlackSocket(int number, WebSocket ws)
    {
        Number = number;
        _ws = ws;
        OpenedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>When the server accepted the connection.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>When the connection ended; null while open.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>1-based number of this connection.</summary>
    public int Number { get; }

    /// <summary>True while the socket is open.</summary>
    public bool IsOpen => _ws.State == WebSocketState.Open;

    /// <summary>Envelope ids acked on this connection, in order.</summary>
    public IReadOnlyCollection<string> Acks => _acks;

    /// <summary>Completes when the client closed the connection.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Sends one text frame.</summary>
    public async Task SendAsync(string json)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _ws.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends an <c>events_api</c> envelope carrying <paramref name="eventCallbackJson"/> as its payload.</summary>
    public Task SendEventAsync(string envelopeId, string eventCallbackJson, int retryAttempt = 0)
        => SendAsync($$"""{"envelope_id":"{{envelopeId}}","payload":{{eventCallbackJson}},"type":"events_api","accepts_response_payload":false,"retry_attempt":{{retryAttempt}},"retry_reason":"{{(retryAttempt > 0 ? "timeout" : string.Empty)}}"}""");

    /// <summary>The <c>payload</c> JSON of acks that carried one (slash command responses), by envelope id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> AckPayloads { get; } = new(StringComparer.Ordinal);

    /// <summary>Sends <c>{"type":"disconnect","reason":…}</c>.</summary>
    public Task SendDisconnectAsync(string reason = "refresh_requested")
        => SendAsync($$$"""{"type":"disconnect","reason":"{{{reason}}}","debug_info":{"host":"applink-fake"}}""");

    /// <summary>Closes the connection from the server side (as Slack does when it drops a socket).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.EndpointUnavailable)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                await _ws.CloseOutputAsync(status, "server closing", CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Waits for the ack of <paramref name="envelopeId"/>.</summary>
    public Task WaitForAckAsync(string envelopeId, TimeSpan timeout)
        => _ackWaiters.GetOrAdd(envelopeId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(timeout);

    internal async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_ws.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _ws.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    try
                    {
                        if (_ws.State == WebSocketState.CloseReceived)
                        {
                            await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        _sendLock.Release();
                    }

                    break;
                }

                using var doc = JsonDocument.Parse(message.ToArray());
                if (doc.RootElement.TryGetProperty("envelope_id", out var id) && id.GetString() is { } envelopeId)
                {
                    if (doc.RootElement.TryGetProperty("payload", out var payload))
                    {
                        AckPayloads[envelopeId] = payload.GetRawText();
                    }

                    _acks.Enqueue(envelopeId);
                    _ackWaiters.GetOrAdd(envelopeId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Client went away.
        }
        finally
        {
            ClosedAt = DateTimeOffset.UtcNow;
            _closed.TrySetResult();
        }
    }
}
