using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Channels.Slack;

/// <summary>One Socket Mode WebSocket (docs.slack.dev/apis/events-api/using-socket-mode/): reads envelopes in order,
/// hands <c>events_api</c> payloads and <c>slash_commands</c> to the processor and acks each <c>envelope_id</c> after
/// the pipeline took it; other envelope types (<c>interactive</c>, …) are acked and ignored. Reports <c>hello</c> and <c>disconnect</c>.</summary>
internal sealed class SlackSocketConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SlackInboundProcessor _processor;
    private readonly string _slashCommandResponseType;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiveLoop = Task.CompletedTask;

    public SlackSocketConnection(int id, SlackInboundProcessor processor, ILogger logger, string slashCommandResponseType = "in_channel")
    {
        Id = id;
        _processor = processor;
        _logger = logger;
        _slashCommandResponseType = slashCommandResponseType;
    }


    public int Id { get; }

    /// <summary>Completes when <c>hello</c> arrived.</summary>
    public Task Hello => _hello.Task;

    /// <summary>Completes with <c>disconnect:{reason}</c> when Slack asked to reconnect, or <c>closed</c> when the socket ended.</summary>
    public Task<string> Ended => _ended.Task;

    public async Task ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Closes the socket after any ack in progress, waiting a bounded time for the server's close.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnect", cts.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            await _receiveLoop.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Bounded close: give up and abort below.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent && !cancellationToken.IsCancellationRequested)
            {
                buffer.Clear();
                ValueWebSocketReceiveResult result;
                do
                {
                    var memory = buffer.GetMemory(8192);
                    result = await _socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await SendLockedAsync(() => _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cancellationToken), cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await HandleFrameAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The socket ended; the worker reconnects.
        }
        finally
        {
            _hello.TrySetException(new WebSocketException("Socket closed before hello."));
            _ended.TrySetResult("closed");
            SlackLog.SocketClosed(_logger, Id);
        }
    }

    private async Task HandleFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            SlackLog.MalformedPayload(_logger, "socket frame is not JSON");
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var envelopeId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("envelope_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            switch (type)
            {
                case "hello":
                    _hello.TrySetResult();
                    return;
                case "disconnect":
                    var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? "unknown" : "unknown";
                    SlackLog.SocketDisconnectRequested(_logger, Id, reason);
                    _ended.TrySetResult("disconnect:" + reason);
                    return;
                case "events_api" when envelopeId is not null:
                    if (root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
                    {
                        var (processed, _) = await TryProcessAsync(async () =>
                        {
                            await _processor.ProcessAsync(payload, cancellationToken).ConfigureAwait(false);
                            return true;
                        }).ConfigureAwait(false);
                        if (!processed)
                        {
                            return; // not acked: Slack re-sends the envelope
                        }
                    }

                    await AckAsync(envelopeId, cancellationToken).ConfigureAwait(false);
                    return;
                case "slash_commands" when envelopeId is not null:
                    if (root.TryGetProperty("payload", out var command) && command.ValueKind == JsonValueKind.Object)
                    {
                        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var field in command.EnumerateObject())
                        {
                            if (field.Value.ValueKind == JsonValueKind.String)
                            {
                                fields[field.Name] = field.Value.GetString()!;
                            }
                        }

                        var (processed, result) = await TryProcessAsync(() => _processor.ProcessCommandAsync(fields, cancellationToken)).ConfigureAwait(false);
                        if (!processed)
                        {
                            return; // not acked: the user sees that the command failed
                        }

                        if (result?.Outcome == InboundOutcome.Accepted)
                        {
                            // Like the HTTP answer: an in_channel command stays visible to the channel.
                            await AckAsync(envelopeId, new Dictionary<string, string> { ["response_type"] = _slashCommandResponseType }, cancellationToken).ConfigureAwait(false);
                            return;
                        }
                    }

                    await AckAsync(envelopeId, cancellationToken).ConfigureAwait(false);
                    return;
                default:
                    if (envelopeId is not null)
                    {
                        SlackLog.EnvelopeIgnored(_logger, type ?? "?");
                        await AckAsync(envelopeId, cancellationToken).ConfigureAwait(false);
                    }

                    return;
            }
        }
    }

    /// <summary>Processes one envelope's payload. Processed (true) also when the payload is malformed: it will not get
    /// better on redelivery, so it is acked; false when processing failed, so the envelope is not acked.</summary>
    private async Task<(bool Processed, T? Result)> TryProcessAsync<T>(Func<Task<T>> process)
    {
        try
        {
            return (true, await process().ConfigureAwait(false));
        }
        catch (FormatException e)
        {
            SlackLog.MalformedPayload(_logger, e.Message);
            return (true, default);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (false, default);
        }
    }

    private Task AckAsync(string envelopeId, CancellationToken cancellationToken) => AckAsync(envelopeId, null, cancellationToken);

    private Task AckAsync(string envelopeId, Dictionary<string, string>? payload, CancellationToken cancellationToken)
    {
        var ack = payload is null
            ? JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["envelope_id"] = envelopeId })
            : JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["envelope_id"] = envelopeId, ["payload"] = payload });
        return SendLockedAsync(() => _socket.SendAsync(new ReadOnlyMemory<byte>(ack), WebSocketMessageType.Text, true, cancellationToken).AsTask(), cancellationToken);
    }

    private async Task SendLockedAsync(Func<Task> send, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await send().ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Ended by the abort.
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }
}
