using System.Globalization;

namespace OpenClaw.Channels;

/// <summary>An <see cref="IPassiveReplyHandover"/> inside one process (a cluster of one): the same slot states as the
/// Redis one (open, answered, released, expired) changed under one lock, so the run's claim and the callback's expiry
/// cannot both win. A finished slot is kept until its window ended, so a retry of the same key does not reopen it.
/// Thread-safe.</summary>
/// <param name="time">Clock; <see cref="TimeProvider.System"/> when null.</param>
public sealed class LocalPassiveReplyHandover(TimeProvider? time = null) : IPassiveReplyHandover
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
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
            if (entry.State == SlotState.Open)
            {
                entry.Finish(SlotState.Expired, null);
            }

            return entry.State == SlotState.Answered ? entry.Answer : null;
        }
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
            return _byKey.TryGetValue(slotId[(bar + 1)..], out var entry) && entry.Id == slotId ? entry : null;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        // Finished slots go once their window ended; open ones whose callback never closed them a minute later.
        foreach (var (key, _) in _byKey.Where(e => e.Value.Deadline <= now && (e.Value.State != SlotState.Open || e.Value.Deadline.AddMinutes(1) <= now)).ToList())
        {
            _byKey.Remove(key);
        }
    }

    private enum SlotState
    {
        Open,
        Answered,
        Released,
        Expired,
    }

    private sealed class Entry(string id, DateTimeOffset deadline)
    {
        public string Id { get; } = id;

        public DateTimeOffset Deadline { get; } = deadline;

        public SlotState State { get; private set; }

        public string? Answer { get; private set; }

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish(SlotState state, string? answer)
        {
            State = state;
            Answer = answer;
            Finished.TrySetResult();
        }
    }
}
