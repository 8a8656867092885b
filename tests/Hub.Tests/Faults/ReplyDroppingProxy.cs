using System.Net;
using System.Net.Sockets;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>A TCP proxy in front of a redis-server that forwards every command and, while <see cref="DropReplies"/> is
/// set, throws the server's replies away: a command runs (and lands in the append-only file) but its client never
/// learns. When either side closes, both are closed, so a SIGKILLed server breaks the client's connection at once; when
/// <see cref="DropReplies"/> is cleared, every connection that lost a reply is closed too (its client would otherwise
/// take the next reply for the lost one), as a lost reply is in production: the connection broke.</summary>
public sealed class ReplyDroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<CancellationTokenSource, byte> _lostReply = new();
    private volatile bool _dropReplies;

    private ReplyDroppingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's loopback port.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string through the proxy.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    /// <summary>While true, replies from the server are discarded (commands still reach it).</summary>
    public bool DropReplies
    {
        get => _dropReplies;
        set
        {
            _dropReplies = value;
            if (!value)
            {
                foreach (var connection in _lostReply.Keys)
                {
                    try
                    {
                        connection.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // that connection just closed on its own
                    }
                }
            }
        }
    }

    /// <summary>Starts a proxy to the redis-server on <paramref name="targetPort"/> (loopback).</summary>
    public static ReplyDroppingProxy Start(int targetPort) => new(targetPort);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return; // server down: the client sees its connection closed
            }

            using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var requests = CopyAsync(client.GetStream(), server.GetStream(), replies: false, both);
            var replies = CopyAsync(server.GetStream(), client.GetStream(), replies: true, both);
            await Task.WhenAny(requests, replies);
            await both.CancelAsync();
            await Task.WhenAll(requests, replies);
            _lostReply.TryRemove(both, out _);
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool replies, CancellationTokenSource connection)
    {
        var cancellationToken = connection.Token;
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                if (replies && _dropReplies)
                {
                    _lostReply.TryAdd(connection, 0);
                }
                else
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // one side closed
        }
    }
}
