using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Tests.Cron;
using OpenClaw.Channels.Tests.Ordering;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Faults;

/// <summary>Issue 12, point 6: a Redis blip must not lose cron fires. Redis is this test's own redis-server
/// (append-only file, fsync always) on a free port, SIGKILLed and restarted from its file.</summary>
[TypicalDuration(10)]
public sealed class CronRedisBlipTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openclaw-cron-blip", Guid.NewGuid().ToString("N"));
    private Process? _redis;
    private int _port;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return StartRedisAsync();
    }

    [Fact]
    public async Task RedisKilledAndRestarted_EveryFireDuringTheOutageRunsOnce_NoneIsLost()
    {
        await using var bed = await CronTestBed.StartAsync();
        var connection = $"127.0.0.1:{_port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";
        var settings = new Dictionary<string, string?>
        {
            ["Cron:Jobs:0:Id"] = "tick",
            ["Cron:Jobs:0:Cron"] = "* * * * * ?",
            ["Cron:Jobs:0:Prompt"] = "tick",
            ["Cron:Jobs:0:Target:Channel"] = "telegram",
            ["Cron:Jobs:0:Target:AccountId"] = bed.AccountId,
            ["Cron:Jobs:0:Target:ChatId"] = "81",
        };
        await using var a = await CronHubNode.StartAsync(bed.Model, bed.Telegram, "blip-a", Path.Combine(_directory, "a"), connection, bed.KeyPrefix, settings);
        await using var b = await CronHubNode.StartAsync(bed.Model, bed.Telegram, "blip-b", Path.Combine(_directory, "b"), connection, bed.KeyPrefix, settings);
        await a.WaitForRunsAsync("tick", r => r.Count(x => x.Status == CronRunStatus.Ok) >= 3, TimeSpan.FromSeconds(30));

        // Down while at least three fire times pass on both nodes' schedulers.
        var seenA = a.Dispatcher.FiresSeen;
        var seenB = b.Dispatcher.FiresSeen;
        _redis!.Kill(entireProcessTree: true);
        await _redis.WaitForExitAsync();
        var down = DateTimeOffset.UtcNow;
        // Three whole seconds as well: a fire counted between reading FiresSeen and the kill is not one of the outage's.
        await Eventually.UntilAsync(() => a.Dispatcher.FiresSeen >= seenA + 3 && b.Dispatcher.FiresSeen >= seenB + 3 && DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= down.ToUnixTimeSeconds() + 3, TimeSpan.FromSeconds(30));
        await StartRedisAsync();
        var up = DateTimeOffset.UtcNow;
        output.WriteLine($"redis down {down:HH:mm:ss.fff} .. {up:HH:mm:ss.fff} ({(up - down).TotalMilliseconds:F0} ms)");

        // The lane recovers: fires after the restart run again.
        var runs = await a.WaitForRunsAsync("tick", r => r.Any(x => x.Status == CronRunStatus.Ok && x.FireTimeUtc > up.AddSeconds(3)), TimeSpan.FromSeconds(60));

        // Every fire time that passed while Redis was down ran (or was recorded skipped-overlap behind the run before
        // it) exactly once, after the restart.
        var firstMissed = DateTimeOffset.FromUnixTimeSeconds(down.ToUnixTimeSeconds() + 1);
        var lastMissed = DateTimeOffset.FromUnixTimeSeconds(up.ToUnixTimeSeconds());
        var expected = Enumerable.Range(0, (int)(lastMissed - firstMissed).TotalSeconds + 1).Select(i => firstMissed.AddSeconds(i)).ToList();
        var during = runs.Where(r => r.FireTimeUtc >= firstMissed && r.FireTimeUtc <= lastMissed).ToList();
        output.WriteLine(string.Join("\n", runs.OrderBy(r => r.FireTimeUtc).Select(r => $"{r.FireTimeUtc:HH:mm:ss} {r.Node} {r.Status} started {r.StartedUtc:HH:mm:ss.fff} {r.Error}")));
        Assert.True(expected.Count >= 3, $"only {expected.Count} fire times during the outage");
        Assert.Equal(expected, during.Select(r => r.FireTimeUtc).Order().ToList());
        Assert.All(during, r => Assert.Contains(r.Status, new[] { CronRunStatus.Ok, CronRunStatus.SkippedOverlap }));
        Assert.All(during, r => Assert.True(r.StartedUtc >= up.AddMilliseconds(-50), $"fire {r.FireTimeUtc:HH:mm:ss} started {r.StartedUtc:HH:mm:ss.fff} before Redis was back"));

        // And no fire time after the restart ran twice.
        var after = runs.Where(r => r.FireTimeUtc > lastMissed).Select(r => r.FireTimeUtc).ToList();
        Assert.Equal(after.Count, after.Distinct().Count());
    }

    public async Task DisposeAsync()
    {
        if (_redis is { HasExited: false })
        {
            _redis.Kill(entireProcessTree: true);
            await _redis.WaitForExitAsync();
        }

        _redis?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private async Task StartRedisAsync()
    {
        _redis?.Dispose();
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--appendonly", "yes", "--appendfsync", "always", "--save", string.Empty, "--dir", _directory })
        {
            info.ArgumentList.Add(arg);
        }

        _redis = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _redis.BeginOutputReadLine();
        _redis.BeginErrorReadLine();
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, _port);
                    await using var stream = client.GetStream();
                    await stream.WriteAsync("PING\r\n"u8.ToArray());
                    var buffer = new byte[64];
                    var read = await stream.ReadAsync(buffer);
                    return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
                }
                catch (SocketException)
                {
                    return false; // not up yet
                }
            },
            TimeSpan.FromSeconds(20),
            () => "redis-server did not answer PING");
    }
}
