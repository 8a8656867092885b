using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Slack;

/// <summary>The Socket Mode side of the fake (docs.slack.dev/apis/events-api/using-socket-mode/): the WebSocket endpoint
/// that <c>apps.connections.open</c> points to, and the count of connections open at once (Slack allows up to 10 per
/// app).</summary>
public sealed partial class FakeSlackServer
{
    private int _maxOpenSockets;

    /// <summary>Socket Mode connections open now.</summary>
    public int OpenSockets => _sockets.Values.Count(s => s.IsOpen);

    /// <summary>The most Socket Mode connections that were open at the same time, measured at each open.</summary>
    public int MaxOpenSockets => Volatile.Read(ref _maxOpenSockets);

    /// <summary>Waits until the <paramref name="number"/>-th Socket Mode connection (1-based) is open and hello was sent.</summary>
    public Task<FakeSlackSocket> WaitForSocketAsync(int number, TimeSpan timeout)
        => _socketWaiters.GetOrAdd(number, _ => new TaskCompletionSource<FakeSlackSocket>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(timeout);

    private async Task HandleSocketAsync(HttpContext context, int number)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var ws = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var socket = new FakeSlackSocket(number, ws);
        _sockets[number] = socket;
        var open = OpenSockets;
        int max;
        while (open > (max = Volatile.Read(ref _maxOpenSockets)) && Interlocked.CompareExchange(ref _maxOpenSockets, open, max) != max)
        {
        }

        await socket.SendAsync($$$"""{"type":"hello","num_connections":{{{_sockets.Count(s => s.Value.IsOpen)}}},"debug_info":{"host":"applink-fake","approximate_connection_time":18060},"connection_info":{"app_id":"A0FAKE"}}""").ConfigureAwait(false);
        _socketWaiters.GetOrAdd(number, _ => new TaskCompletionSource<FakeSlackSocket>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(socket);
        await socket.ReceiveLoopAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
