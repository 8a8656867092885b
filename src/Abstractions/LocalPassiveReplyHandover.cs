using System.Globalization;

namespace OpenClaw.Channels;

/// <summary>An <see cref="IPassiveReplyHandover"/> inside one process (a cluster of one): the same slot states as the
/// Redis one (open, answered, taken, delivered, released, expired, withdrawn) changed under one lock, so the run's claim
/// and the callback's expiry cannot both win, nor the callback's take and the run's withdrawal. A finished slot is kept
/// until its window ended, so a retry of the same key does not reopen it. Thread-safe.</summary>
/// <param name="time">Clock; <see cref="TimeProvider.System"/> when null.</param>
/// <param name="confirmMargin">How long past the window's end the run waits for the callback's confirmation before it
/// withdraws the answer; 2 s when null.</param>
public sealed class LocalPassiveReplyHandover(TimeProvider? time = null, TimeSpan? confirmMargin = null) : IPassiveReplyHandover
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _confirmMargin = confirmMargin ?? TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, Entry> _byKey = new(StringComparer.Ordinal);

    // Claimed answers whose key was opened again (a platform retry) while they wait for delivery, by slot id.
    private readonly Dictionary<string, Entry> _inFlight = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Slots kept now (open or finished within their window); for diagnostics and tests.</summary>
    public int Count
    {
        get
        {
            lock (_byKey)
            {
                return _byKey.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<PassiveReplySlot> OpenAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        lock (_byKey)
        {
            Prune(now);
            if (_byKey.TryGetValue(key, out var open) && open.State == SlotState.Open)
            {
                return Task.FromResult(new PassiveReplySlot(open.Id, false, open.Deadline - now));
            }

            if (open is { State: SlotState.Answered or SlotState.Taken })
            {
                _inFlight[open.Id] = open;
            }

            var id = (++_generation).ToString(CultureInfo.InvariantCulture) + "|" + key;
            _byKey[key] = new Entry(id, now + window);
            return Task.FromResult(new PassiveReplySlot(id, true, window));
        }
    }

    /// <inheritdoc />
    public async Task<string?> WaitAsync(string slotId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var entry = Find(slotId);
        if (entry is null)
        {
            return null;
        }

        int ticket;
        lock (_byKey)
        {
            // A retry of the platform joins the slot as a newer waiter: the newest callback carries the answer.
            ticket = ++entry.LastTicket;
            entry.Waiting.Add(ticket);
        }

        try
        {
            if (timeout > TimeSpan.Zero)
            {
                await entry.Finished.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        lock (_byKey)
        {
            entry.Waiting.Remove(ticket);
            var newerWaits = entry.Waiting.Any(t => t > ticket);
            if (newerWaits)
            {
                // A newer callback of the same message still waits on this slot: it takes the answer (or the expiry).
                return null;
            }

            if (entry.State == SlotState.Open)
            {
                entry.Finish(SlotState.Expired, null);
            }
            else if (entry.State == SlotState.Answered)
            {
                // The caller's request is gone: nobody can carry the answer, the run sends it through the API.
                entry.Settle(cancellationToken.IsCancellationRequested ? SlotState.Withdrawn : SlotState.Taken);
                return entry.State == SlotState.Taken ? entry.Answer : null;
            }

            return null;
        }
    }

    /// <inheritdoc />
    public Task<bool> ConfirmAsync(string slotId, CancellationToken cancellationToken)
    {
        var entry = Find(slotId);
        if (entry is null)
        {
            return Task.FromResult(false);
        }

        lock (_byKey)
        {
            if (entry.State != SlotState.Taken)
            {
                return Task.FromResult(false);
            }

            entry.Settle(SlotState.Delivered);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public async Task<bool> AwaitDeliveryAsync(string slotId, CancellationToken cancellationToken)
    {
        var entry = Find(slotId);
        if (entry is null)
        {
            return false;
        }

        var bound = entry.Deadline + _confirmMargin - _time.GetUtcNow();
        try
        {
            if (bound > TimeSpan.Zero)
            {
                await entry.Settled.Task.WaitAsync(bound, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (!Withdraw(entry))
            {
                throw;
            }

            return true;
        }

        return Withdraw(entry);
    }

    /// <inheritdoc />
    public Task CloseAsync(string slotId, CancellationToken cancellationToken)
    {
        var entry = Find(slotId);
        if (entry is not null)
        {
            lock (_byKey)
            {
                if (entry.State == SlotState.Open)
                {
                    entry.Finish(SlotState.Expired, null);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TryHandOverAsync(string slotId, string? answer, CancellationToken cancellationToken)
    {
        var entry = Find(slotId);
        if (entry is null)
        {
            return Task.FromResult(false);
        }

        lock (_byKey)
        {
            if (entry.State != SlotState.Open || _time.GetUtcNow() >= entry.Deadline)
            {
                return Task.FromResult(false);
            }

            entry.Finish(answer is null ? SlotState.Released : SlotState.Answered, answer);
            return Task.FromResult(true);
        }
    }

    /// <summary>Withdraws an answer not yet confirmed.</summary>
    /// <returns>True when the answer had been delivered (nothing withdrawn).</returns>
    private bool Withdraw(Entry entry)
    {
        lock (_byKey)
        {
            if (entry.State is SlotState.Answered or SlotState.Taken)
            {
                entry.Settle(SlotState.Withdrawn);
            }

            return entry.State == SlotState.Delivered;
        }
    }

    private Entry? Find(string slotId)
    {
        ArgumentException.ThrowIfNullOrEmpty(slotId);
        var bar = slotId.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return null;
        }

        lock (_byKey)
        {
            return _byKey.TryGetValue(slotId[(bar + 1)..], out var entry) && entry.Id == slotId ? entry : _inFlight.GetValueOrDefault(slotId);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        // Finished slots go once their window ended; open or undelivered ones a minute later.
        static bool Pending(Entry e) => e.State is SlotState.Open or SlotState.Answered or SlotState.Taken;
        foreach (var (key, _) in _byKey.Where(e => e.Value.Deadline <= now && (!Pending(e.Value) || e.Value.Deadline.AddMinutes(1) <= now)).ToList())
        {
            _byKey.Remove(key);
        }

        foreach (var (id, _) in _inFlight.Where(e => !Pending(e.Value) || e.Value.Deadline.AddMinutes(1) <= now).ToList())
        {
            _inFlight.Remove(id);
        }
    }

    private enum SlotState
    {
        Open,
        Answered,
        Taken,
        Delivered,
        Released,
        Expired,
        Withdrawn,
    }

    private sealed class Entry(string id, DateTimeOffset deadline)
    {
        public string Id { get; } = id;

        public DateTimeOffset Deadline { get; } = deadline;

        public SlotState State { get; private set; }

        public string? Answer { get; private set; }

        /// <summary>The last waiter's ticket (one per <c>WaitAsync</c> call, counting up).</summary>
        public int LastTicket { get; set; }

        /// <summary>Tickets of the callbacks waiting now.</summary>
        public HashSet<int> Waiting { get; } = [];

        /// <summary>Completed when the run claimed the slot or the callback's window ended (wakes the callback).</summary>
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completed when a claimed answer was delivered or withdrawn (wakes the run).</summary>
        public TaskCompletionSource Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish(SlotState state, string? answer)
        {
            State = state;
            Answer = answer;
            Finished.TrySetResult();
        }

        public void Settle(SlotState state)
        {
            State = state;
            if (state is SlotState.Delivered or SlotState.Withdrawn)
            {
                Settled.TrySetResult();
            }
        }
    }
}
