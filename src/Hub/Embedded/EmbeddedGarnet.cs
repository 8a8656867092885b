using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace OpenClaw.Channels.Hub.Embedded;

/// <summary>The in-process Garnet server of the embedded mode (Microsoft.Garnet, Redis protocol): listens on 127.0.0.1 only,
/// Lua on, append-only file and checkpoints under <c>{Hub:DataDirectory}/garnet</c>, recovered at start. The hub then runs
/// its Redis code path (Hangfire.Redis.StackExchange, RedLock.net, the Redis stores and their Lua scripts) against
/// <see cref="ConnectionString"/>.</summary>
/// <remarks>Uses Garnet's managed <c>RandomAccess</c> storage device: its default native device needs <c>libaio.so.1</c>,
/// which a fresh machine may lack. Every storage device is wrapped in a <see cref="ReadAfterWriteDevice"/> (installed by
/// <see cref="GarnetServerOptionsFactory"/>): Garnet's partial-sector flush can otherwise read a sector back before its
/// previous write landed once the log spills to disk. A lock file keeps a second hub off the same data directory.</remarks>
internal sealed partial class EmbeddedGarnet : IDisposable
{
    private const int PortAttempts = 5;

    /// <summary>How long <see cref="Dispose"/> waits for Garnet to stop: 10 s.</summary>
    internal static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);

    private readonly GarnetServer _server;
    private readonly FileStream _lock;
    private readonly ILogger<EmbeddedGarnet> _logger;

    /// <summary>Starts Garnet (recovering the checkpoint and append-only file left by the previous run).</summary>
    /// <param name="dataDirectory">The hub's data directory; Garnet's files go to its <c>garnet</c> subfolder.</param>
    /// <param name="options">Memory, port and durability settings.</param>
    /// <param name="loggerFactory">The host's logger factory (Garnet logs under <c>Garnet.*</c> categories).</param>
    /// <exception cref="InvalidOperationException">Another hub uses <paramref name="dataDirectory"/>, or Garnet could not bind.</exception>
    public EmbeddedGarnet(string dataDirectory, EmbeddedOptions options, ILoggerFactory loggerFactory)
    {
        var root = Path.GetFullPath(Path.Combine(dataDirectory, "garnet"));
        System.IO.Directory.CreateDirectory(root);
        _lock = TakeLock(root);
        _logger = loggerFactory.CreateLogger<EmbeddedGarnet>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            (_server, Port) = StartServer(root, options, loggerFactory);
        }
        catch
        {
            _lock.Dispose();
            throw;
        }

        Directory = root;
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},abortConnect=false,connectTimeout=5000");
        LogStarted(_logger, Port, root, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The loopback port Garnet listens on.</summary>
    public int Port { get; }

    /// <summary>Garnet's folder: <c>log</c> (spilled records), <c>checkpoints</c>, the append-only file.</summary>
    public string Directory { get; }

    /// <summary>StackExchange.Redis connection string of this server.</summary>
    public string ConnectionString { get; }

    /// <summary>Garnet's command-line arguments for <paramref name="root"/> and <paramref name="options"/> on <paramref name="port"/>.</summary>
    internal static string[] Arguments(string root, EmbeddedOptions options, int port)
    {
        static string Mb(int mb) => mb.ToString(CultureInfo.InvariantCulture) + "m";
        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--lua",
            "--storage-tier",
            "--device-type", "RandomAccess",
            "--logdir", Path.Combine(root, "log"),
            "--checkpointdir", Path.Combine(root, "checkpoints"),
            "--aof",
            "--aof-commit-freq", "0",
            "--aof-memory", Mb(options.AofMemoryMb),
            "--aof-page-size", Mb(2 * options.PageMb),
            "--checkpoint-freq", options.CheckpointIntervalSeconds.ToString(CultureInfo.InvariantCulture),
            "--recover",
            "--memory", Mb(options.MemoryMb),
            "--page", Mb(options.PageMb),
            "--index", Mb(options.IndexMb),
            "--segment", Mb(options.SegmentMb),
            "-q",
        ];
        return options.AofCommitWait ? [.. args, "--aof-commit-wait"] : args;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Garnet server listening on 127.0.0.1:{Port}, files in {Directory}, started in {ElapsedMs} ms")]
    private static partial void LogStarted(ILogger logger, int port, string directory, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "The embedded Garnet server did not stop within {TimeoutMs} ms; the hub stops without waiting for it (the append-only file holds every acknowledged write, recovered at the next start)")]
    private static partial void LogStopTimedOut(ILogger logger, long timeoutMs);

    /// <summary>Stops Garnet, waiting at most <see cref="DisposeTimeout"/> (10 s): Garnet's own dispose can wait forever
    /// on a session stuck in its storage layer (seen: <c>ActiveWorkerMonitor.Dispose</c> behind a log resize), and a hub
    /// that never exits on SIGTERM is worse than one that exits with Garnet's workers still running. On a time-out it
    /// logs an error and keeps the data-directory lock until the process exits.</summary>
    public void Dispose()
    {
        if (StopWithin(_server.Dispose, DisposeTimeout, TimeProvider.System, _logger))
        {
            _lock.Dispose();
        }
    }

    /// <summary>Runs <paramref name="stop"/> on a thread-pool thread and waits for it at most <paramref name="timeout"/>
    /// measured on <paramref name="time"/>.</summary>
    /// <returns><see langword="true"/> when <paramref name="stop"/> finished in time (its exception, if any, is
    /// rethrown); <see langword="false"/> after logging that it did not.</returns>
    internal static bool StopWithin(Action stop, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        var stopping = Task.Run(stop);
        try
        {
            stopping.WaitAsync(timeout, time).GetAwaiter().GetResult();
            return true;
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(logger, (long)timeout.TotalMilliseconds);
            return false;
        }
    }

    private static (GarnetServer Server, int Port) StartServer(string root, EmbeddedOptions options, ILoggerFactory loggerFactory)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : FreeLoopbackPort();
            var garnetLogs = new PrefixedLoggerFactory(loggerFactory);
            var server = new GarnetServer(GarnetServerOptionsFactory.Create(Arguments(root, options, port), garnetLogs.CreateLogger("ArgParser")), garnetLogs);
            try
            {
                server.Start();
                return (server, port);
            }
            catch (Exception ex) when (ex is SocketException && options.Port == 0 && attempt < PortAttempts)
            {
                // Another process took the free port between the probe and the bind: try another one.
                server.Dispose();
            }
            catch (Exception ex)
            {
                server.Dispose();
                throw new InvalidOperationException($"The embedded Garnet server could not listen on 127.0.0.1:{port} ({ex.GetType().Name}: {ex.Message}). Set Hub:Embedded:Port to a free port, or ConnectionStrings:Redis to use a Redis server.", ex);
            }
        }
    }

    /// <summary>Puts Garnet's log categories (<c>GarnetServer</c>, <c>ArgParser</c>, …) under <c>Garnet.</c>, so one
    /// <c>Logging:LogLevel:Garnet</c> entry filters them.</summary>
    private sealed class PrefixedLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger("Garnet." + categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        // The host owns the inner factory; Garnet disposing its factory must not dispose the host's.
        public void Dispose()
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static FileStream TakeLock(string root)
    {
        var path = Path.Combine(root, "hub.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another hub is using the data directory {Path.GetDirectoryName(root)} (its embedded store is locked by {path}). Give each hub its own Hub:DataDirectory.", ex);
        }
    }
}
