namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A counting semaphore for threads that wait long (idle Hangfire workers, the run dispatchers): a waiter that
/// finds no permit blocks at once on a monitor, and <see cref="Release"/> wakes exactly one waiter.</summary>
/// <remarks><see cref="SemaphoreSlim"/> spins (with <c>sched_yield</c>) before it blocks, on every wait; with hundreds of
/// idle workers on two cores that spinning measured 11 % of the hub's samples at 200 messages/s (bench/README.md).</remarks>
internal sealed class QuietSemaphore
{
    private readonly object _lock = new();
    private int _count;
    private int _waiters;

    /// <summary>Creates the semaphore with <paramref name="initialCount"/> permits.</summary>
    /// <param name="initialCount">Permits available at once; 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is negative.</exception>
    public QuietSemaphore(int initialCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        _count = initialCount;
    }

    /// <summary>Permits available now (a snapshot).</summary>
    public int CurrentCount => Volatile.Read(ref _count);

    /// <summary>Takes a permit if one is available, without waiting.</summary>
    /// <returns>Whether a permit was taken.</returns>
    public bool TryWait()
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return false;
            }

            _count--;
            return true;
        }
    }

    /// <summary>Takes a permit, blocking the calling thread (without spinning) until one is released.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a permit was taken.</exception>
    public void Wait(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (TryWait())
        {
            return;
        }

        using var registration = cancellationToken.UnsafeRegister(static s => ((QuietSemaphore)s!).WakeAll(), this);
        lock (_lock)
        {
            while (_count == 0)
            {
                // Checked under the lock: a cancellation after this check pulses the waiter once it waits. A waiter
                // pulsed by a release always takes the permit, so no permit is stranded.
                cancellationToken.ThrowIfCancellationRequested();

                _waiters++;
                try
                {
                    Monitor.Wait(_lock);
                }
                finally
                {
                    _waiters--;
                }
            }

            _count--;
        }
    }

    /// <summary>Returns a permit and wakes one waiter, if any.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _count++;
            if (_waiters > 0)
            {
                Monitor.Pulse(_lock);
            }
        }
    }

    private void WakeAll()
    {
        lock (_lock)
        {
            Monitor.PulseAll(_lock);
        }
    }
}
