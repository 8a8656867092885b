using System.Diagnostics;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Fenced store writes of a run: the lease is checked before every pop and dead letter, a pop is a
/// compare-and-pop by message id under the lock's token, and a write after a send is retried in the run.</summary>
internal sealed partial class AgentRunJob
{
    private TimeSpan DeliveryTtl => TimeSpan.FromSeconds(hubOptions.Value.DedupeTtlSeconds);

    /// <summary>Set when a pop left the inbox empty and completed the session (and released the lock) in its step.</summary>
    private bool _drained;

    /// <summary>The id of the head the last peek found without a delivery record or attempt count, until this run writes
    /// either for it (or a pop of it fails, which may have written the record): its pop drops nothing.</summary>
    private string? _cleanHeadId;

    /// <summary>Compare-and-pop of <paramref name="message"/>; with <paramref name="delivered"/>, the delivery record is
    /// written in the same step unless the pop lands, and the write is retried without the lease (it states a fact).</summary>
    private async Task PopAsync(string sessionKey, ChannelMessage message, ISessionLease lease, CancellationToken cancellationToken, DeliveryRecord? delivered = null)
    {
        PopOutcome popped = PopOutcome.NotAtHead;
        await RetryWriteAsync(
            async ct =>
            {
                try
                {
                    popped = await store.PopAsync(sessionKey, message.Id, lease, delivered, DeliveryTtl, PopCompletion.CompleteAndRelease, ct, clean: _cleanHeadId == message.Id).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    _cleanHeadId = null; // the step may have run and written the record; a retried pop drops it
                    if (delivered is null || ct.IsCancellationRequested)
                    {
                        throw;
                    }

                    // The step did not run: the record must still land before anything else, on its own if it can.
                    await TryRecordDeliveryAsync(message.Id, delivered, ct).ConfigureAwait(false);
                    throw;
                }
            },
            lease,
            requireLease: delivered is null,
            cancellationToken).ConfigureAwait(false);
        if (popped == PopOutcome.LeaseLost)
        {
            throw new LeaseLostException();
        }

        admission.Release(message.Id); // answered (or popped by another run): its admission place is free
        _drained = popped == PopOutcome.Completed;
    }

    private async Task TryRecordDeliveryAsync(string messageId, DeliveryRecord delivered, CancellationToken cancellationToken)
    {
        try
        {
            await store.RecordDeliveryAsync(messageId, delivered, DeliveryTtl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogWriteRetry(logger, 0, ex.GetType().Name); // the retried step records it
        }
    }

    private async Task DeadLetterAsync(string sessionKey, ChannelMessage message, string reason, ISessionLease lease, CancellationToken cancellationToken)
    {
        EnsureHeld(lease);
        await store.DeadLetterAsync(sessionKey, message, reason, cancellationToken).ConfigureAwait(false);
        LogDeadLettered(logger, sessionKey, reason);
        await PopAsync(sessionKey, message, lease, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a send, a Redis write is retried in the run (a blip of a few seconds must not cost a second send)
    /// for up to two leases, and for a pop only while the lease holds.</summary>
    private async Task RetryWriteAsync(Func<CancellationToken, Task> write, ISessionLease lease, bool requireLease, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp();
        var budget = TimeSpan.FromMilliseconds(hubOptions.Value.LockLeaseMs * 2);
        for (var attempt = 1; ; attempt++)
        {
            if (requireLease)
            {
                EnsureHeld(lease);
            }

            try
            {
                await write(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (TransientFailure.Is(ex) && !cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(deadline) < budget)
            {
                LogWriteRetry(logger, attempt, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void EnsureHeld(ISessionLease lease)
    {
        if (!lease.IsHeld)
        {
            throw new LeaseLostException();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A message of {SessionKey} was dead-lettered: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string sessionKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store write after a send failed (attempt {Attempt}, {Error}); retrying")]
    private static partial void LogWriteRetry(ILogger logger, int attempt, string error);
}
