using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

/// <summary>The real hub executable (<c>dotnet OpenClaw.Channels.Hub.dll</c>, copied beside the tests) as a child
/// process, configured by command-line settings (<c>--Key=value</c>), with its standard output and error collected
/// line by line, so a test can read its console and SIGKILL it (<see cref="Kill"/>). The start flavours differ in
/// their defaults and in how far they wait (<see cref="HubReadiness"/>). For flake hunts: with the environment variable
/// <c>OPENCLAW_TEST_HUB_LOGS</c> set to a directory, each process's whole output is written there when it is disposed
/// (<c>{node id}-{pid}.log</c>). Every start flavour runs the hub with quick JIT, no tier-1 re-jit and workstation GC (see
/// <see cref="StartInfo"/>).</summary>
public sealed partial class HubProcess : ITestHub
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _ownedDirectory;

    private HubProcess(ProcessStartInfo info, string nodeId, string? ownedDirectory)
    {
        NodeId = nodeId;
        _ownedDirectory = ownedDirectory;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, error: false);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, error: true);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The <c>Hub:NodeId</c> the process runs as (empty when the settings gave none).</summary>
    public string NodeId { get; }

    /// <summary>The hub's base URL, e.g. <c>http://127.0.0.1:41234</c> (from Kestrel's "Now listening on" line); empty
    /// until it listens.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>A client on <see cref="BaseUrl"/> (no base address until the hub listens).</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>Same as <see cref="Http"/>.</summary>
    public HttpClient Client => Http;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (standard output and error), line by line.</summary>
    public HubOutput Output => new([.. _lines]);

    /// <summary>Same as <see cref="Output"/>.</summary>
    public IReadOnlyCollection<string> Lines => Output;

    /// <summary>The lines of standard error only.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>How many lines contain <paramref name="fragment"/> (ordinal).</summary>
    public int CountLines(string fragment) => _lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Starts the hub with <paramref name="settings"/> (working directory: the test output, Kestrel on
    /// 127.0.0.1:0) and waits until <c>/readyz</c> answers 200.</summary>
    /// <exception cref="InvalidOperationException">The hub did not become ready within <paramref name="timeout"/> (the
    /// message holds its output).</exception>
    public static Task<HubProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout)
    {
        var all = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var info = StartInfo(AppContext.BaseDirectory, all);
        var nodeId = settings.TryGetValue("Hub:NodeId", out var id) ? id ?? string.Empty : string.Empty;
        return WaitAsync(new HubProcess(info, nodeId, ownedDirectory: null), HubReadiness.Ready, timeout, TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts hub <paramref name="nodeId"/> with <paramref name="settings"/> over these defaults: a data
    /// directory of its own under the temp directory, Kestrel on 127.0.0.1:0, console log level Warning (Information
    /// for the "Now listening" line), single-line simple console format, environment Production.
    /// Waits until <paramref name="until"/>, at most 90 s (a child hub pays its JIT start-up; the suite runs collections
    /// in parallel).</summary>
    /// <exception cref="InvalidOperationException">The hub exited or did not get there in time.</exception>
    public static Task<HubProcess> StartAsync(string nodeId, IDictionary<string, string?> settings, HubReadiness until = HubReadiness.Ready)
    {
        var all = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Hub:DataDirectory"] = Path.Combine(Path.GetTempPath(), "openclaw-tests", nodeId + "-" + Guid.NewGuid().ToString("N")[..8]),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        all["Hub:NodeId"] = nodeId;
        var info = StartInfo(AppContext.BaseDirectory, all);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var timeout = TimeSpan.FromSeconds(90);
        return WaitAsync(new HubProcess(info, nodeId, ownedDirectory: null), until, timeout, TimeSpan.FromSeconds(15));
    }

    /// <summary>Starts hub <paramref name="nodeId"/> in <paramref name="dataDirectory"/> (created; also its working
    /// directory) with console log level Warning and waits until Kestrel listens.</summary>
    /// <exception cref="InvalidOperationException">The hub exited or did not listen within <paramref name="timeout"/>.</exception>
    public static Task<HubProcess> StartAsync(string nodeId, string dataDirectory, IDictionary<string, string?> settings, TimeSpan timeout)
    {
        Directory.CreateDirectory(dataDirectory);
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Hub:NodeId"] = nodeId,
            ["Hub:DataDirectory"] = dataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var info = StartInfo(dataDirectory, all);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return WaitAsync(new HubProcess(info, nodeId, ownedDirectory: null), HubReadiness.Listening, timeout, TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts the hub as an operator would, with only <paramref name="args"/> (and a data directory and node id
    /// of its own) in a fresh temporary working directory, without the URL variables of the test's environment plus
    /// <paramref name="environment"/>; returns at once.</summary>
    public static HubProcess Start(IReadOnlyList<string> args, IDictionary<string, string>? environment = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "openclaw-tests", "proc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var nodeId = "p" + Guid.NewGuid().ToString("N")[..8];
        var info = StartInfo(directory, new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = Path.Combine(directory, "data"),
            ["Hub:NodeId"] = nodeId,
        }, testWorkers: false);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "ConnectionStrings__Redis" })
        {
            info.Environment.Remove(name);
        }

        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new HubProcess(info, nodeId, directory);
    }

    /// <summary>Waits for the process to exit (deadline 60 s) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of output contains <paramref name="text"/> (deadline 60 s) and returns it.</summary>
    /// <exception cref="TimeoutException">No such line before the deadline or the exit.</exception>
    public async Task<string> WaitForOutputAsync(string text)
    {
        string? line = null;
        await Eventually.UntilAsync(
            () => (line = _lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))) is not null || _process.HasExited,
            TimeSpan.FromSeconds(60),
            () => $"No output line with '{text}'. Output:\n{Output}");
        return line ?? throw new TimeoutException($"The hub exited without an output line with '{text}'. Output:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, no lock or lease is released, the kernel closes the sockets.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary><see cref="Kill"/>, waiting for the exit asynchronously.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            FixtureTimings.RecordMs("process-cpu", _process.TotalProcessorTime.TotalMilliseconds, NodeId);
        }

        await KillAsync();
        if (Environment.GetEnvironmentVariable("OPENCLAW_TEST_HUB_LOGS") is { Length: > 0 } logs)
        {
            // Diagnostics: the whole console of every hub the test started, one file per process.
            Directory.CreateDirectory(logs);
            await File.WriteAllLinesAsync(Path.Combine(logs, $"{NodeId}-{_process.Id}.log"), [.. _lines]);
        }

        Http.Dispose();
        _process.Dispose();
        if (_ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held by the dying process; the temp directory is cleaned up by the OS
            }
        }
    }

    /// <summary>The <c>dotnet</c> command line; <paramref name="testWorkers"/> adds <see cref="HubNode.DefaultWorkerCount"/>
    /// chat-lane workers unless <paramref name="settings"/> decide them (the operator-style <see cref="Start"/> keeps the
    /// product's defaults).</summary>
    private static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string?> settings, bool testWorkers = true)
    {
        if (testWorkers && !HubNode.SetsRunsInFlight(settings))
        {
            settings = new Dictionary<string, string?>(settings) { ["Hub:WorkerCount"] = HubNode.DefaultWorkerCount };
        }

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The hub ships with quick JIT off (src/Hub/Hub.csproj: cheaper under sustained load); a short-lived test hub
        // mostly starts up, where quick JIT is cheaper.
        info.Environment["DOTNET_TC_QuickJit"] = "1";
        // No call counting: a method stays at tier 0 instead of being counted and re-jitted at tier 1 by the tiering
        // thread in the hub's first seconds, which is most of a test hub's life (loops still go up through OSR). Dynamic
        // PGO is off in the hub's runtimeconfig already (src/Hub/Hub.csproj).
        // (A DOTNET_TC_CallCounting of the test's environment wins: DOTNET_TC_CallCounting=1 measures the difference.)
        info.Environment.TryAdd("DOTNET_TC_CallCounting", "0");
        // No W^X double mapping of JIT-written code (a hardening the runtime pays for on every method it jits and patches):
        // a test hub jits most of what it runs. CPU per process about 2.3 -> 2.0 s (3 processes, twice each, load 11-23).
        info.Environment.TryAdd("DOTNET_EnableWriteXorExecute", "0");
        // Workstation GC on every start path: the hub ships with server GC (one heap and GC thread per core, sized for a
        // long-lived node); a test hub is small and short-lived, and the suite starts many on two cores.
        info.Environment["DOTNET_gcServer"] = "0";
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenClaw.Channels.Hub.dll"));
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        return info;
    }

    private static async Task<HubProcess> WaitAsync(HubProcess hub, HubReadiness until, TimeSpan timeout, TimeSpan requestTimeout)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            var exited = hub._process.WaitForExitAsync(cts.Token);
            var first = await Task.WhenAny(hub._listening.Task, exited);
            if (first != hub._listening.Task)
            {
                throw new InvalidOperationException(hub._process.HasExited ? "the hub exited" : "the hub did not listen in time");
            }

            hub.BaseUrl = (await hub._listening.Task).TrimEnd('/');
            hub.Http.Dispose();
            hub.Http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl), Timeout = requestTimeout };
            if (until == HubReadiness.Ready)
            {
                await Eventually.UntilAsync(
                    async () =>
                    {
                        if (hub._process.HasExited)
                        {
                            throw new InvalidOperationException("the hub exited");
                        }

                        try
                        {
                            using var response = await hub.Http.GetAsync("/readyz", cts.Token);
                            return response.IsSuccessStatusCode;
                        }
                        catch (HttpRequestException)
                        {
                            return false; // not accepting yet
                        }
                    },
                    timeout,
                    () => "/readyz answered 200",
                    cts.Token);
            }

            FixtureTimings.Record("process-" + until, started, hub.NodeId);
            return hub;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or HttpRequestException or TimeoutException)
        {
            var output = hub.Output.ToString();
            await hub.DisposeAsync();
            throw new InvalidOperationException($"hub {hub.NodeId} did not become {until} within {timeout}:\n{output}", ex);
        }
    }

    private void OnLine(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        if (error)
        {
            _errors.Enqueue(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
        else if (line.Contains("Unhandled exception", StringComparison.Ordinal))
        {
            _listening.TrySetException(new InvalidOperationException(line));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
