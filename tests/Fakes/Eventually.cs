using System.Diagnostics;

namespace OpenClaw.Channels.Fakes;

/// <summary>The one way tests wait for a condition: poll it until it holds or a deadline passes, then fail with the
/// caller's explanation. The deadline only matters when a test fails, so it is generous; a passing test waits exactly
/// as long as the condition takes. Polling starts at 5 ms and backs off to 50 ms between probes.</summary>
public static class Eventually
{
    /// <summary>The deadline when none is given: 15 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Waits until <paramref name="condition"/> returns true.</summary>
    /// <param name="condition">The probe; called on the caller's context, at least once.</param>
    /// <param name="timeout">Deadline; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="because">What was awaited, for the failure message; may be computed late (current state).</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, Func<string>? because = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), timeout, because, cancellationToken);
    }

    /// <summary>Waits until the asynchronous <paramref name="condition"/> returns true.</summary>
    /// <param name="condition">The probe (a Redis read, an HTTP call); awaited, at least once.</param>
    /// <param name="timeout">Deadline; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="because">What was awaited, for the failure message.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, Func<string>? because = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        var step = TimeSpan.FromMilliseconds(5);
        while (!await condition().ConfigureAwait(false))
        {
            if (Stopwatch.GetElapsedTime(started) >= limit)
            {
                throw new TimeoutException($"Not reached within {limit.TotalSeconds:0.###} s: {because?.Invoke() ?? "condition"}");
            }

            await Task.Delay(step, cancellationToken).ConfigureAwait(false);
            step = TimeSpan.FromMilliseconds(Math.Min(50, step.TotalMilliseconds * 2));
        }
    }

    /// <summary>Waits until the synchronous <paramref name="probe"/> (a fake's recorded calls, a Redis read) returns a
    /// value that is not null, and returns it.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="probe">Returns the value once it exists, else null.</param>
    /// <param name="timeout">Deadline; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="because">What was awaited, for the failure message.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The first value that was not null.</returns>
    /// <exception cref="TimeoutException">No value within <paramref name="timeout"/>.</exception>
    public static Task<T> ValueAsync<T>(Func<T?> probe, TimeSpan? timeout = null, Func<string>? because = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        return ValueAsync(() => Task.FromResult(probe()), timeout, because, cancellationToken);
    }

    /// <summary>Waits until <paramref name="probe"/> returns a value that is not null, and returns it.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="probe">Returns the value once it exists, else null.</param>
    /// <param name="timeout">Deadline; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="because">What was awaited, for the failure message.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The first value that was not null.</returns>
    /// <exception cref="TimeoutException">No value within <paramref name="timeout"/>.</exception>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null, Func<string>? because = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        T? value = null;
        await UntilAsync(async () => (value = await probe().ConfigureAwait(false)) is not null, timeout, because, cancellationToken).ConfigureAwait(false);
        return value!;
    }
}
