using System.Diagnostics;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Dashboard;

/// <summary>Screenshots of pages a test serves, for people to look at (the dashboard pages, the web chat).</summary>
internal static class ChromiumScreenshot
{
    /// <summary>Headless Debian Chromium (<c>/usr/bin/chromium</c>) saves a PNG of <paramref name="url"/> under
    /// <c>screenshots/</c> beside the test assembly. Without Chromium the step is reported and skipped.</summary>
    /// <param name="url">The page.</param>
    /// <param name="file">The PNG file name.</param>
    /// <param name="output">Where the path (or the skip) is written.</param>
    public static async Task TakeAsync(string url, string file, ITestOutputHelper output)
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            output.WriteLine($"{chromium} is not installed; no screenshot of {url}.");
            return;
        }

        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, file);
        File.Delete(path);
        var profile = Path.Combine(Path.GetTempPath(), "openclaw-chromium-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars", "--window-size=1400,900", $"--user-data-dir={profile}", $"--screenshot={path}", url })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(stderr, stdout);
        Assert.True(File.Exists(path) && new FileInfo(path).Length > 10_000, $"Chromium wrote no screenshot of {url}: {await stderr}");
        output.WriteLine("screenshot: " + path);
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment
        }
    }
}
