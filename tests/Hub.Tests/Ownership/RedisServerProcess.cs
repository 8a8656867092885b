using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>A redis-server of the test's own on a free loopback port (append-only file in a temp dir), so tests of
/// several hub processes never touch the shared 6390 server. Killed on dispose.</summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private RedisServerProcess(Process process, int port, string dir, IConnectionMultiplexer multiplexer)
    {
        _process = process;
        _dir = dir;
        Port = port;
        Multiplexer = multiplexer;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public IConnectionMultiplexer Multiplexer { get; }

    public static async Task<RedisServerProcess> StartAsync()
    {
        var port = FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "openclaw-tests", "redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--appendonly", "yes", "--dir", dir, "--save", ""])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500");
                return new RedisServerProcess(process, port, dir, mux);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Multiplexer.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}
