namespace OpenClaw.Channels.Cron;

/// <summary>A held overlap lease (<c>cron:running:{jobId}</c>): extended every third of its time to live while the run
/// lives, like the session lock, so it expires within one time to live after its node dies. <see cref="Lost"/> is
/// cancelled when an extension finds the lease taken by someone else, or when no extension succeeded for a whole time to
/// live (the store was unreachable: another node may have taken it since). Disposing stops the extensions and releases
/// the lease (value-checked).</summary>
internal sealed class CronLease : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<bool>> _extend;
    private readonly Func<Task> _release;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _every;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private DateTimeOffset _validUntil;
    private Task _extending = Task.CompletedTask;
    private int _disposed;

    /// <summary>Starts extending a lease just taken.</summary>
    /// <param name="ttl">The lease's time to live in the store.</param>
    /// <param name="extend">Resets the time to live when the lease is still ours; false when it is not.</param>
    /// <param name="release">Deletes the lease when it is still ours.</param>
    /// <param name="time">Clock of the extension timer.</param>
    public CronLease(TimeSpan ttl, Func<CancellationToken, Task<bool>> extend, Func<Task> release, TimeProvider time)
    {
        _ttl = ttl;
        _every = ttl / 3;
        _extend = extend;
        _release = release;
        _time = time;
        _validUntil = time.GetUtcNow() + ttl;
        _timer = time.CreateTimer(_ => OnTick(), null, _every, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled once the lease can no longer be proven ours; the run stops.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Extensions that succeeded (for tests and diagnostics).</summary>
    public int Extensions { get; private set; }

    private void OnTick()
    {
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _extending = ExtendAsync();
        }
    }

    private async Task ExtendAsync()
    {
        var token = _stopping.Token;
        try
        {
            var ours = await _extend(token).ConfigureAwait(false);
            if (!ours)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }

            Extensions++;
            _validUntil = _time.GetUtcNow() + _ttl;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception)
        {
            // The store did not answer: keep trying while the last successful extension still covers us.
            if (_time.GetUtcNow() >= _validUntil)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }

        lock (_gate)
        {
            if (_disposed == 0)
            {
                // Retry sooner than a full period when the last attempt failed and the lease is running out.
                var left = _validUntil - _time.GetUtcNow();
                _timer.Change(left < _every ? TimeSpan.FromTicks(Math.Max(left.Ticks / 2, TimeSpan.FromMilliseconds(50).Ticks)) : _every, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task extending;
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _disposed = 1;
            extending = _extending;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        await extending.ConfigureAwait(false);
        try
        {
            await _release().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Unreachable store: the lease runs out within its time to live on its own.
        }
        finally
        {
            _lost.Dispose();
            _stopping.Dispose();
        }
    }
}
