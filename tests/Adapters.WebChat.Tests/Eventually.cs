using System.Diagnostics;

namespace OpenClaw.Channels.Tests;

/// <summary>Waits for a condition with a deadline (never a fixed delay).</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"not within {timeout.TotalSeconds:0.#} s: {failure()}");
            }

            await Task.Delay(25);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
        => WaitUntilAsync(() => Task.FromResult(condition()), timeout, failure);
}
