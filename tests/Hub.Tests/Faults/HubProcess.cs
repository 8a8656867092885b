using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>A hub in a process of its own (<c>dotnet OpenClaw.Channels.Hub.dll</c> from the test's output directory),
/// configured by command-line settings, listening on a free loopback port. Its console lines are kept so a test can
/// count log events (rescues). <see cref="Kill"/> is SIGKILL.</summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Process _process;

    private HubProcess(Process process, string nodeId, int port)
    {
        _process = process;
        NodeId = nodeId;
        BaseUrl = $"http://127.0.0.1:{port}";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(15) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string NodeId { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Lines => _lines;

    public int CountLines(string fragment) => _lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Starts a hub with <paramref name="settings"/> and waits until <c>/readyz</c> answers 200.</summary>
    public static async Task<HubProcess> StartAsync(string nodeId, IDictionary<string, string?> settings)
    {
        var port = RedisServerProcess.FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "OpenClaw.Channels.Hub.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var all = new Dictionary<string, string?>(settings)
        {
            ["Hub:NodeId"] = nodeId,
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Hub:DataDirectory"] = Path.Combine(Path.GetTempPath(), "openclaw-faults", nodeId + "-" + Guid.NewGuid().ToString("N")[..6]),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in all)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("the hub process did not start");
        var hub = new HubProcess(process, nodeId, port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(process.HasExited, "the hub exited at start:\n" + string.Join('\n', hub.Lines));
            try
            {
                using var response = await hub.Http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return hub;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(DateTime.UtcNow < deadline, "the hub did not become ready:\n" + string.Join('\n', hub.Lines));
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL the hub: no shutdown hooks, locks left to expire.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        Http.Dispose();
        return ValueTask.CompletedTask;
    }
}
