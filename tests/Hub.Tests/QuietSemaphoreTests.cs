using OpenClaw.Channels.Hub.Jobs;

namespace OpenClaw.Channels.Hub.Tests;

/// <summary>The non-spinning semaphore behind the fetch gate and the run dispatchers.</summary>
public sealed class QuietSemaphoreTests
{
    [Fact]
    public async Task EachRelease_LetsExactlyOneWaiterThrough()
    {
        var semaphore = new QuietSemaphore(0);
        var passed = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var waiters = Enumerable.Range(0, 3).Select(_ => OnThread(() =>
        {
            semaphore.Wait(cts.Token);
            Interlocked.Increment(ref passed);
        })).ToArray();

        semaphore.Release();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref passed) == 1, TimeSpan.FromSeconds(10)));
        Assert.False(SpinWait.SpinUntil(() => Volatile.Read(ref passed) > 1, TimeSpan.FromMilliseconds(300)), "one release let two waiters through");

        semaphore.Release();
        semaphore.Release();
        await Task.WhenAll(waiters).WaitAsync(cts.Token);
        Assert.Equal(3, passed);
        Assert.Equal(0, semaphore.CurrentCount);
    }

    [Fact]
    public void TryWait_TakesOnlyAvailablePermits()
    {
        var semaphore = new QuietSemaphore(1);
        Assert.True(semaphore.TryWait());
        Assert.False(semaphore.TryWait());
        semaphore.Release();
        Assert.Equal(1, semaphore.CurrentCount);
    }

    [Fact]
    public async Task CancelledWaiter_Throws_AndLeavesThePermitToTheNext()
    {
        var semaphore = new QuietSemaphore(0);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var cancelled = OnThread(() => semaphore.Wait(first.Token));
        var other = OnThread(() => semaphore.Wait(second.Token));

        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(other.IsCompleted);

        semaphore.Release();
        await other.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, semaphore.CurrentCount);
    }

    private static Task OnThread(Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true }.Start();
        return done.Task;
    }
}
