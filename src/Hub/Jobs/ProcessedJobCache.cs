namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>The job hash of the job one storage connection moved to Processing, as that connection read and wrote it, so
/// the state change that ends its run (Hangfire's worker: Succeeded, Failed or a retry's Scheduled, on the same
/// connection) reads no <c>HGETALL</c> of its own. Held only while nothing but this connection's Processing state wrote
/// the job since a read of its own: any other write through the connection (a parameter, another state) drops it. A
/// write of another process (a Requeue or Delete on the dashboard of any node) is not seen here, so a state change
/// that was answered from here is committed only if the job is still Processing (<see cref="LeanWriteTransaction"/>:
/// its <c>ZREM processing</c>, or an <c>HGET State</c>, decides before anything is written); if it is not, nothing is
/// written, the data is dropped and the commit throws <see cref="JobStateChangedException"/>, and Hangfire's worker
/// retries the state change on a fresh read, which finds the job's new state and leaves it (exactly what the read under
/// the state lock found before).</summary>
/// <remarks>One connection is used by one thread at a time (Hangfire's contract for <c>IStorageConnection</c>).</remarks>
internal sealed class ProcessedJobCache
{
    private string? _readId;
    private Dictionary<string, string>? _read;
    private string? _heldId;
    private Dictionary<string, string>? _held;
    private string? _servedId;

    /// <summary>The job answered from here since the last commit, whose state change must check the job is still
    /// <see cref="HeldState"/>; else null.</summary>
    public string? Served => _servedId;

    /// <summary>The state of the held job as this connection wrote it (Processing).</summary>
    public string? HeldState => _held is { } held && held.TryGetValue("State", out var state) ? state : null;

    /// <summary>A fresh read of <paramref name="jobId"/>'s hash on this connection (its fields; copied).</summary>
    public void Read(string jobId, Dictionary<string, string> fields)
    {
        _readId = jobId;
        _read = new Dictionary<string, string>(fields, StringComparer.Ordinal);
    }

    /// <summary>A copy of the held hash of <paramref name="jobId"/>, marking the job as answered from here; null when
    /// none is held.</summary>
    public Dictionary<string, string>? TryServe(string jobId)
    {
        if (_heldId != jobId || _held is null)
        {
            return null;
        }

        _servedId = jobId;
        return new Dictionary<string, string>(_held, StringComparer.Ordinal);
    }

    /// <summary>Something other than a state change wrote <paramref name="jobId"/> (a parameter): nothing held of it.</summary>
    public void Written(string jobId)
    {
        if (_heldId == jobId)
        {
            Drop();
        }

        if (_readId == jobId)
        {
            _readId = null;
            _read = null;
        }
    }

    /// <summary>A transaction of this connection committed: <paramref name="states"/> are the states it set, by job,
    /// <paramref name="fields"/> the other job-hash fields it wrote (parameters), by job. A job moved to Processing right
    /// after its fresh read is held (with what the transaction wrote); every other job it changed is not.</summary>
    public void Committed(IReadOnlyDictionary<string, string> states, IReadOnlyDictionary<string, Dictionary<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(fields);
        var readId = _readId;
        var read = _read;
        _readId = null;
        _read = null;
        _servedId = null;
        if (_heldId is { } held && (states.ContainsKey(held) || fields.ContainsKey(held)))
        {
            Drop();
        }

        if (readId is null || read is null || !states.TryGetValue(readId, out var state) || state != Hangfire.States.ProcessingState.StateName)
        {
            return;
        }

        read["State"] = state;
        if (fields.TryGetValue(readId, out var written))
        {
            foreach (var (name, value) in written)
            {
                read[name] = value;
            }
        }

        _heldId = readId;
        _held = read;
    }

    /// <summary>A state change answered from here found the job changed meanwhile (nothing was written), or a commit
    /// failed: nothing held, the next read is fresh.</summary>
    public void Drop()
    {
        _heldId = null;
        _held = null;
        _servedId = null;
    }
}
