using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>A redis-server of a test's own (<see cref="RedisServerProcess"/>) behind a <see cref="ReplyDroppingProxy"/>,
/// with a connection through the proxy: what the lost-reply tests drive.</summary>
public sealed class ProxiedRedisServer : IAsyncDisposable
{
    private ProxiedRedisServer(RedisServerProcess server, ReplyDroppingProxy proxy, ConnectionMultiplexer viaProxy)
    {
        Server = server;
        Proxy = proxy;
        ViaProxy = viaProxy;
    }

    /// <summary>The redis-server (its <see cref="RedisServerProcess.Client"/> connects directly).</summary>
    public RedisServerProcess Server { get; }

    /// <summary>The proxy in front of it.</summary>
    public ReplyDroppingProxy Proxy { get; }

    /// <summary>A connection through the proxy.</summary>
    public ConnectionMultiplexer ViaProxy { get; }

    /// <summary>Starts the server and the proxy and connects through it.</summary>
    /// <param name="options">More StackExchange.Redis options for the proxied connection (e.g. <c>,syncTimeout=2000</c>).</param>
    public static async Task<ProxiedRedisServer> StartAsync(string options = "")
    {
        var server = await RedisServerProcess.StartAsync();
        var proxy = ReplyDroppingProxy.Start(server.Port);
        return new ProxiedRedisServer(server, proxy, await ConnectionMultiplexer.ConnectAsync(proxy.ConnectionString + options));
    }

    public async ValueTask DisposeAsync()
    {
        await ViaProxy.DisposeAsync();
        await Proxy.DisposeAsync();
        await Server.DisposeAsync();
    }
}
