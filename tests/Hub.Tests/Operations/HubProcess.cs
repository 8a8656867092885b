using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenClaw.Channels.Tests.Operations;

/// <summary>The real hub executable (<c>dotnet OpenClaw.Channels.Hub.dll</c>, copied beside the tests) started as a
/// child process in its own temporary directory, with its standard output and error collected line by line.</summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _err = new();
    private readonly string _directory;

    private HubProcess(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public IReadOnlyList<string> Output => [.. _out];

    public IReadOnlyList<string> Errors => [.. _err];

    public static HubProcess Start(IReadOnlyList<string> args, IDictionary<string, string>? environment = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "openclaw-tests", "proc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenClaw.Channels.Hub.dll"));
        info.ArgumentList.Add("--Hub:DataDirectory=" + Path.Combine(directory, "data"));
        info.ArgumentList.Add("--Hub:NodeId=p" + Guid.NewGuid().ToString("N")[..8]);
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

        var process = new Process { StartInfo = info };
        var hub = new HubProcess(process, directory);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { hub._out.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { hub._err.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    /// <summary>Waits for the process to exit (deadline 60 s) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of standard output contains <paramref name="text"/> (deadline 60 s) and returns it.</summary>
    public async Task<string> WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_out.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No output line with '{text}'. Output:\n{string.Join('\n', _out)}\nErrors:\n{string.Join('\n', _err)}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by the dying process; the temp directory is cleaned up by the OS
        }
    }
}
