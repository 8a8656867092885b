using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels.Tests.Ownership;

/// <summary>A hub in a process of its own (<c>dotnet OpenClaw.Channels.Hub.dll</c> built next to the tests'
/// configuration), configured through environment variables, so a test can SIGKILL it.</summary>
public sealed partial class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubProcess(string nodeId, Process process)
    {
        NodeId = nodeId;
        _process = process;
    }

    public string NodeId { get; }

    /// <summary>Everything the process wrote (stdout and stderr), line by line.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a hub with <paramref name="settings"/> (configuration keys such as <c>Hub:NodeId</c>, turned into
    /// <c>Hub__NodeId</c> variables) and waits until Kestrel listens.</summary>
    public static async Task<HubProcess> StartAsync(string nodeId, IDictionary<string, string?> settings)
    {
        var hubDir = HubBinDirectory();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(hubDir, "OpenClaw.Channels.Hub.dll")])
        {
            WorkingDirectory = hubDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["Hub__NodeId"] = nodeId;
        start.Environment["Hub__DataDirectory"] = Path.Combine(Path.GetTempPath(), "openclaw-tests", nodeId + "-" + Guid.NewGuid().ToString("N"));
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("hub did not start");
        var hub = new HubProcess(nodeId, process);
        process.OutputDataReceived += (_, e) => hub.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => hub.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var listening = await Task.WhenAny(hub._listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (listening != hub._listening.Task)
        {
            await hub.DisposeAsync();
            throw new InvalidOperationException($"hub {nodeId} did not start listening:\n" + string.Join('\n', hub.Output.TakeLast(40)));
        }

        hub.BaseUrl = hub._listening.Task.Result;
        return hub;
    }

    /// <summary>The URL Kestrel listens on (from its "Now listening on" line).</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>SIGKILL: no shutdown, no lease released, sockets closed by the kernel.</summary>
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
        await KillAsync();
        _process.Dispose();
    }

    private static string HubBinDirectory()
    {
        // tests/Hub.Tests/bin/<Configuration>/net10.0 -> src/Hub/bin/<Configuration>/net10.0 (built by the project reference).
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var repo = testDir;
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "OpenClaw.Channels.sln")))
        {
            repo = repo.Parent;
        }

        var dir = Path.Combine(repo?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "Hub", "bin", configuration, tfm);
        return File.Exists(Path.Combine(dir, "OpenClaw.Channels.Hub.dll")) ? dir : throw new InvalidOperationException($"build the hub first: {dir}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(m.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
