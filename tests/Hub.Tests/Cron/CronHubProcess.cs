using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels.Tests.Cron;

/// <summary>A hub in its own process (<c>dotnet OpenClaw.Channels.Hub.dll</c> from the test output, configured by
/// command-line keys, Kestrel on 127.0.0.1:0), so a fault test can SIGKILL it (<see cref="Kill"/>).</summary>
public sealed partial class CronHubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private CronHubProcess(string nodeId, Process process)
    {
        NodeId = nodeId;
        _process = process;
    }

    public string NodeId { get; }

    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient Client { get; private set; } = new();

    public bool HasExited => _process.HasExited;

    /// <summary>The process's console output so far (for failure messages).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the hub and waits until Kestrel listens.</summary>
    public static async Task<CronHubProcess> StartAsync(string nodeId, string dataDirectory, IDictionary<string, string?> settings, TimeSpan timeout)
    {
        Directory.CreateDirectory(dataDirectory);
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenClaw.Channels.Hub.dll"));
        var values = new Dictionary<string, string?>
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
            values[key] = value;
        }

        foreach (var (key, value) in values)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var hub = new CronHubProcess(nodeId, process);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            hub._output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(timeout));
        if (first != listening.Task)
        {
            await hub.DisposeAsync();
            throw new InvalidOperationException($"hub {nodeId} did not start listening within {timeout}:\n{hub.Output}");
        }

        hub.BaseUrl = (await listening.Task).TrimEnd('/');
        hub.Client = new HttpClient { BaseAddress = new Uri(hub.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        return hub;
    }

    /// <summary>SIGKILL: the process gets no chance to release anything.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
