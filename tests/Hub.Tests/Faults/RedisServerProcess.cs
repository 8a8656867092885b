using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenClaw.Channels.Fakes;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>A redis-server of the test's own, on a free loopback port, with the append-only file on and fsync on every
/// write (<c>--appendonly yes --appendfsync always</c>): what the hub acknowledged survives a SIGKILL. Never the shared
/// 6390 server.</summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "openclaw-faults", Guid.NewGuid().ToString("N"));
    private Process? _process;

    private RedisServerProcess(int port)
    {
        Port = port;
        Directory.CreateDirectory(_dir);
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    /// <summary>Test-side connection (for assertions); reconnects after restarts.</summary>
    public IConnectionMultiplexer Client { get; private set; } = null!;

    public static async Task<RedisServerProcess> StartAsync()
    {
        var redis = new RedisServerProcess(FreePort());
        await redis.StartProcessAsync();
        redis.Client = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        return redis;
    }

    /// <summary>SIGKILL: no shutdown, no final save.</summary>
    public void Kill()
    {
        _process!.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts redis-server again on the same port and directory (it loads the append-only file).</summary>
    public Task RestartAsync() => StartProcessAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start (is it installed? see .ci/run)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    await using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},abortConnect=true,connectTimeout=500");
                    await probe.GetDatabase().PingAsync();
                    return true;
                }
                catch (RedisException)
                {
                    return false; // not accepting yet
                }
            },
            TimeSpan.FromSeconds(10),
            () => $"redis-server on port {Port} did not answer PING");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            Kill();
        }

        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
