namespace OpenClaw.Channels;

/// <summary>A lease this node holds on a connection resource, kept alive in the background until it is disposed or
/// lost. Use the connection only while <see cref="Lost"/> is not cancelled: it fires before the store can expire the
/// lease (the safety margin), so the connection is closed before another node may be granted it. Dispose releases the
/// lease at once.</summary>
public sealed class OwnedConnection : IAsyncDisposable
{
    private readonly ConnectionOwnership _owner;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _lostToken;
    private readonly Task _renewing;
    private int _disposed;

    internal OwnedConnection(ConnectionOwnership owner, ConnectionLease lease, long grantedAtTimestamp)
    {
        _owner = owner;
        Lease = lease;
        var o = owner.Options;
        var remaining = o.Ttl - o.EffectiveMargin - owner.Time.GetElapsedTime(grantedAtTimestamp);
        _lost = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, owner.Time);
        _lostToken = _lost.Token;
        _lostToken.Register(() => owner.Forget(this, lost: Volatile.Read(ref _disposed) == 0));
        _renewing = RenewLoopAsync();
    }

    /// <summary>The lease (resource, owner, fencing token).</summary>
    public ConnectionLease Lease { get; }

    /// <summary>Cancelled when the lease is lost (renewal refused, or not renewed in time); stop using the connection.</summary>
    public CancellationToken Lost => _lostToken;

    /// <summary>True while the lease is held.</summary>
    public bool IsHeld => !_lostToken.IsCancellationRequested && Volatile.Read(ref _disposed) == 0;

    /// <summary>Stops renewing and releases the lease (when still held) so another node can take it at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var held = !_lost.IsCancellationRequested;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        _owner.Forget(this, lost: !held);
        if (held)
        {
            try
            {
                await _owner.Store.ReleaseAsync(Lease, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Not released: it expires after its TTL instead.
                _owner.Options.RenewFailed?.Invoke(Lease, ex);
            }
        }

        await _lost.CancelAsync().ConfigureAwait(false);
        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task RenewLoopAsync()
    {
        var o = _owner.Options;
        var time = _owner.Time;
        while (!_lost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(o.RenewInterval, time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_lost.IsCancellationRequested)
            {
                return;
            }

            var started = time.GetTimestamp();
            bool renewed;
            try
            {
                renewed = await _owner.Store.RenewAsync(Lease, o.Ttl, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Keep the lease until its local deadline; the next renewal may get through.
                o.RenewFailed?.Invoke(Lease, ex);
                continue;
            }

            if (!renewed)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }

            var remaining = o.Ttl - o.EffectiveMargin - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }

            _lost.CancelAfter(remaining);
        }
    }
}
