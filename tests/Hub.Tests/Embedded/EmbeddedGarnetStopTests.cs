using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Hub.Embedded;

namespace OpenClaw.Channels.Tests.Embedded;

/// <summary>The embedded store's stop is bounded: a Garnet dispose that never returns must not keep the hub from exiting
/// on SIGTERM (seen: 20 min at 93 % CPU in <c>ActiveWorkerMonitor.Dispose</c>).</summary>
public class EmbeddedGarnetStopTests
{
    [Fact]
    public async Task StopThatNeverReturns_GivesUpAfterTheTimeout_AndLogsAnError()
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger<EmbeddedGarnet>();
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = Task.Run(() => EmbeddedGarnet.StopWithin(
            () =>
            {
                entered.TrySetResult();
                release.Wait();
            },
            EmbeddedGarnet.DisposeTimeout,
            time,
            logger));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(EmbeddedGarnet.DisposeTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(stopping.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(await stopping.WaitAsync(TimeSpan.FromSeconds(10)));
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains("10000 ms", record.Message, StringComparison.Ordinal);
        release.Set();
    }

    [Fact]
    public void StopThatReturns_ReportsSuccess_AndLogsNothing()
    {
        var logger = new FakeLogger<EmbeddedGarnet>();
        var stopped = false;

        Assert.True(EmbeddedGarnet.StopWithin(() => stopped = true, EmbeddedGarnet.DisposeTimeout, new FakeTimeProvider(), logger));

        Assert.True(stopped);
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public void StopThatThrows_Rethrows()
    {
        var error = Assert.Throws<IOException>(() => EmbeddedGarnet.StopWithin(
            () => throw new IOException("disk gone"), EmbeddedGarnet.DisposeTimeout, new FakeTimeProvider(), new FakeLogger<EmbeddedGarnet>()));
        Assert.Equal("disk gone", error.Message);
    }
}
