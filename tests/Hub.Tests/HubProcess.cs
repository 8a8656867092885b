using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OpenClaw.Channels.Tests;

/// <summary>A hub in its own process (<c>dotnet OpenClaw.Channels.Hub.dll</c> from the test output, Kestrel on
/// 127.0.0.1:0), configured by command-line settings, so a fault test can SIGKILL it.</summary>
public sealed partial class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private HubProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The hub's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient Http { get; private set; } = new();

    /// <summary>What the process wrote so far (for assertion messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(80));
            }
        }
    }

    /// <summary>Starts the hub with <paramref name="settings"/> (configuration keys) and waits until <c>/readyz</c> answers 200.</summary>
    public static async Task<HubProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenClaw.Channels.Hub.dll"));
        info.ArgumentList.Add("--Urls=http://127.0.0.1:0");
        info.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        var hub = new HubProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
        hub._process.OutputDataReceived += (_, e) => hub.OnLine(e.Data);
        hub._process.ErrorDataReceived += (_, e) => hub.OnLine(e.Data);
        hub._process.BeginOutputReadLine();
        hub._process.BeginErrorReadLine();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            hub.BaseUrl = await hub._listening.Task.WaitAsync(cts.Token);
            hub.Http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            while (true)
            {
                try
                {
                    using var response = await hub.Http.GetAsync("/readyz", cts.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return hub;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                await Task.Delay(50, cts.Token);
            }
        }
        catch (Exception ex)
        {
            var output = hub.Output;
            await hub.DisposeAsync();
            throw new InvalidOperationException("The hub process did not become ready:\n" + output, ex);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        Http.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
        else if (line.Contains("Unhandled exception", StringComparison.Ordinal))
        {
            _listening.TrySetException(new InvalidOperationException(line));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
