using System.Diagnostics;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

/// <summary>The tests' one wait helper: it returns as soon as the condition holds and fails with the caller's
/// explanation when the deadline passes.</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task ConditionNeverHolds_ThrowsTimeoutException_NamingTheExplanation_AfterTheTimeout()
    {
        var probes = 0;
        var started = Stopwatch.GetTimestamp();

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => Eventually.UntilAsync(() => ++probes < 0, TimeSpan.FromMilliseconds(200), () => $"the fake received 3 calls, got {probes}"));

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(200));
        Assert.Contains("the fake received 3 calls, got", error.Message, StringComparison.Ordinal);
        Assert.True(probes > 1, $"probed {probes} time(s)");
    }

    [Fact]
    public async Task ConditionThatHolds_ReturnsAtTheFirstProbe_WithoutWaiting()
    {
        var probes = 0;

        var wait = Eventually.UntilAsync(() => ++probes == 1, TimeSpan.FromSeconds(30));

        Assert.True(wait.IsCompletedSuccessfully); // no delay was awaited
        await wait;
        Assert.Equal(1, probes);
    }

    [Fact]
    public async Task ConditionThatComesTrue_ReturnsAtTheNextProbe()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probesAtRelease = -1;
        var probes = 0;

        var wait = Eventually.UntilAsync(() => { probes++; return release.Task.IsCompleted; }, TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => probes >= 3, because: () => "three probes");
        Assert.False(wait.IsCompleted);
        probesAtRelease = probes;
        release.SetResult();
        await wait.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.InRange(probes, probesAtRelease + 1, probesAtRelease + 2); // the probe after the change, at most one more in flight
    }

    [Fact]
    public async Task ValueAsync_ReturnsTheFirstValueThatIsNotNull()
    {
        var probes = 0;

        var value = await Eventually.ValueAsync(() => Task.FromResult(++probes >= 3 ? "third" : null));

        Assert.Equal("third", value);
        Assert.Equal(3, probes);
    }

    [Fact]
    public async Task Cancelled_StopsTheWait()
    {
        using var cts = new CancellationTokenSource();
        var wait = Eventually.UntilAsync(() => false, TimeSpan.FromSeconds(30), cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
