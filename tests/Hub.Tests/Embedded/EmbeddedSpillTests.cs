using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Channels.Hub.Embedded;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests.Embedded;

/// <summary>The embedded store keeps everything once its log outgrows <see cref="EmbeddedOptions.MemoryMb"/> and spills
/// to disk: every record reads back while the server runs, and again (with its TTL) after a restart on the same data
/// directory.</summary>
public class EmbeddedSpillTests(ITestOutputHelper output)
{
    // Three times the in-memory log: most records live only in the on-disk log when they are read back.
    private const int SpillFactor = 3;

    [Theory]
    [InlineData(4, SpillKind.Strings)]
    [InlineData(4, SpillKind.Collections)]
    [InlineData(16, SpillKind.Strings)]
    [InlineData(16, SpillKind.Collections)]
    public async Task DataWrittenPastMemory_ReadsBack_AndSurvivesARestart(int memoryMb, SpillKind kind)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "openclaw-tests", "garnet-spill-" + Guid.NewGuid().ToString("N"));
        var options = new EmbeddedOptions { MemoryMb = memoryMb, PageMb = 1, AofMemoryMb = 4 };
        var workload = new SpillWorkload(kind, SpillFactor * memoryMb * 1024L * 1024);
        try
        {
            using (var server = new EmbeddedGarnet(dataDirectory, options, NullLoggerFactory.Instance))
            using (var redis = await ConnectionMultiplexer.ConnectAsync(Configuration(server)))
            {
                var db = redis.GetDatabase();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await workload.WriteAsync(db);
                output.WriteLine($"wrote {workload.Keys} keys in {clock.ElapsedMilliseconds} ms, log {LogBytes(server)} bytes");
                clock.Restart();
                Assert.True(LogBytes(server) > memoryMb * 1024L * 1024, $"the log did not spill past {memoryMb} MiB ({LogBytes(server)} bytes on disk)");
                AllThere(workload, await workload.VerifyAsync(db, ttlMustRemain: true), "before the restart");
                output.WriteLine($"read back in {clock.ElapsedMilliseconds} ms");
            }

            var restart = System.Diagnostics.Stopwatch.StartNew();
            using (var restarted = new EmbeddedGarnet(dataDirectory, options, NullLoggerFactory.Instance))
            using (var redis = await ConnectionMultiplexer.ConnectAsync(Configuration(restarted)))
            {
                output.WriteLine($"restarted in {restart.ElapsedMilliseconds} ms");
                AllThere(workload, await workload.VerifyAsync(redis.GetDatabase(), ttlMustRemain: true), "after the restart");
                output.WriteLine($"restarted and read back in {restart.ElapsedMilliseconds} ms");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Garnet may still close a segment file; the temp folder is cleaned by the OS.
            }
        }
    }

    private static void AllThere(SpillWorkload workload, IReadOnlyList<string> problems, string when) =>
        Assert.True(problems.Count == 0, $"{when}: {problems.Count} of {workload.Keys} keys wrong, e.g. {string.Join("; ", problems.Take(5))}");

    private static ConfigurationOptions Configuration(EmbeddedGarnet server)
    {
        var configuration = ConfigurationOptions.Parse(server.ConnectionString);
        // Reads from the on-disk log and the restart's replay are slower than the default 5 s allows on a loaded box.
        configuration.SyncTimeout = configuration.AsyncTimeout = 30_000;
        return configuration;
    }

    private static long LogBytes(EmbeddedGarnet server) =>
        new DirectoryInfo(Path.Combine(server.Directory, "log")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
