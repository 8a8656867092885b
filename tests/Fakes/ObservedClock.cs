using System.Collections.Concurrent;

namespace OpenClaw.Channels.Fakes;

/// <summary>A <see cref="TimeProvider"/> over another one (a <c>FakeTimeProvider</c>) that records the due time of every
/// timer armed through it (<c>Task.Delay(…, timeProvider)</c>, Polly's retry waits). A test on fake time waits until the
/// code under test is parked on the wait it expects (<see cref="WaitForTimerAsync"/>), so its next <c>Advance</c> is
/// the one that releases that wait, and it asserts the exact length of the wait.</summary>
/// <param name="inner">The clock that keeps the time and runs the timers; a test advances it.</param>
public sealed class ObservedClock(TimeProvider inner) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _armed = new();

    /// <summary>Due times of the timers armed so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Armed => [.. _armed];

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => inner.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => inner.TimestampFrequency;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        _armed.Enqueue(dueTime); // recorded once the inner clock holds it: an Advance from now on reaches it
        return timer;
    }

    /// <summary>Waits until at least <paramref name="count"/> timers of exactly <paramref name="dueTime"/> were armed.</summary>
    /// <param name="dueTime">The wait the code under test is expected to start.</param>
    /// <param name="count">How many such timers, counted from the clock's creation.</param>
    /// <param name="timeout">Deadline; default <see cref="Eventually.DefaultTimeout"/>.</param>
    /// <exception cref="TimeoutException">No such timer in time; the message lists the timers armed.</exception>
    public Task WaitForTimerAsync(TimeSpan dueTime, int count = 1, TimeSpan? timeout = null)
        => Eventually.UntilAsync(
            () => _armed.Count(d => d == dueTime) >= count,
            timeout,
            () => $"{count} timer(s) of {dueTime.TotalMilliseconds} ms armed; armed: [{string.Join(", ", _armed.Select(d => d.TotalMilliseconds + " ms"))}]");
}
