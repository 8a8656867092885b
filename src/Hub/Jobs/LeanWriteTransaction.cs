using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Hangfire's write-only transaction on Hangfire.Redis.StackExchange's keys (1.12, <c>RedisWriteOnlyTransaction</c>
/// writes the same commands), committed as one Lua script (atomic, one round trip) instead of <c>MULTI</c> … <c>EXEC</c>,
/// after which StackExchange.Redis sends a <c>SELECT</c>. Steps that cannot change anything are left out:
/// <list type="bullet">
/// <item>A job created in the transaction (<see cref="CreateJob"/>) is written once: no <c>EXPIRE</c> then <c>PERSIST</c>
/// of its hash, no <c>UNLINK</c> or <c>PERSIST</c> of its state and history, which do not exist yet. Created jobs expire
/// as asked when no state persists them. A job the calling connection created and has not written yet
/// (<see cref="NewJob"/>, Hangfire's client: <c>CreateExpiredJob</c>, then the first state on the same connection) is
/// written by this script the same way, its <c>State</c> in the same <c>HMSET</c> (one script and four commands less
/// than the job's own script before).</item>
/// <item>Entering Processing does not <c>PERSIST</c> the job's keys: a job is processed only after it was fetched from a
/// queue, and the Enqueued state that put it there persisted them.</item>
/// <item>The fetched job's acknowledgement (<see cref="RemoveFromQueue"/>) runs inside the final state's script.</item>
/// <item>The dashboard's succeeded total (<c>stats:succeeded</c>) is counted in process and added every few seconds
/// when <c>succeededTotal</c> is given (<see cref="SucceededStatisticsBuffer"/>).</item>
/// <item>The job's state lock, when the calling thread holds it (Hangfire's state changer commits as its last step under
/// it), is deleted by the same <c>DEL</c> that clears the job's old state hash: one command less per state change.</item>
/// </list>
/// Enqueues are announced after the script, once the job is visible (<see cref="QueueSignals.Enqueued"/>: the fetchers
/// in this process, and a <c>PUBLISH</c> on <c>JobFetchChannel</c> unless only this process fetches the queue); the
/// queue is added to the <c>queues</c> set once per <see cref="QueueSignals.ListingInterval"/>, not in every enqueue.
/// LIFO queues (<c>RedisStorageOptions.LifoQueues</c>) are not supported.</summary>
/// <param name="redis">The database.</param>
/// <param name="prefix">The storage's key prefix.</param>
/// <param name="connection">Opens the connection whose distributed locks <see cref="AcquireDistributedLock"/> takes.</param>
/// <param name="unwritten">Jobs the calling connection created and has not written yet, by id: this transaction writes
/// them (and removes them) on commit; their state and history keys do not exist yet.</param>
/// <param name="signals">Who is told of an enqueue; default: a <c>PUBLISH</c> of every one and a <c>SADD</c> in
/// every enqueue.</param>
/// <param name="stateLockOf">The state lock of a job the calling thread holds and the commit may delete
/// (<see cref="LeanRedisJobStorage.ReleasableStateLock"/>); default none.</param>
/// <param name="succeededTotal">Takes this transaction's increments of <c>stats:succeeded</c> once it is committed
/// (<see cref="LeanRedisJobStorage.SucceededTotal"/>); default null: an <c>INCR</c> in the script.</param>
/// <param name="processed">The calling connection's job data of the job it moved to Processing: a state change answered
/// from it is checked in the script (see <see cref="ProcessedJobCache"/>), and a commit tells it what it wrote; default
/// none.</param>
internal sealed partial class LeanWriteTransaction(IDatabase redis, string prefix, Func<IStorageConnection> connection, IDictionary<string, NewJob>? unwritten = null, QueueSignals? signals = null, Func<string, LeanRedisJobStorage.StateLock?>? stateLockOf = null, Action<long>? succeededTotal = null, ProcessedJobCache? processed = null) : JobStorageTransaction
{
    // ARGV: groups of (argument count, command, arguments...); the checks "?zrem" (key, member: the member must be in the
    // sorted set, and is removed) and "?state" (job key, state: the job's State must be it) come first and end the script
    // with 0, nothing written, when they fail; the command "?ack" removes a fetched job from its
    // :dequeued list only while its Fetched field is the one this fetch wrote (job key, dequeued key, fetched, id). The
    // field stays on the finished job (only the fetched-jobs watcher and the dashboard's fetched list, both of :dequeued
    // jobs, read it; the job details page hides it), and a later Enqueued state clears it.
    private const string CommitScript =
        """
        local unpack = unpack or table.unpack
        local i = 1
        while i <= #ARGV do
          local n = tonumber(ARGV[i])
          if ARGV[i + 1] == '?ack' then
            if redis.call('HGET', ARGV[i + 2], 'Fetched') == ARGV[i + 4] then
              redis.call('LREM', ARGV[i + 3], -1, ARGV[i + 5])
            end
          elseif ARGV[i + 1] == '?zrem' then
            if redis.call('ZREM', ARGV[i + 2], ARGV[i + 3]) == 0 then return 0 end
          elseif ARGV[i + 1] == '?state' then
            if redis.call('HGET', ARGV[i + 2], 'State') ~= ARGV[i + 3] then return 0 end
          else
            redis.call(unpack(ARGV, i + 1, i + n))
          end
          i = i + n + 1
        end
        return 1
        """;

    private readonly List<RedisValue> _args = [];
    private readonly QueueSignals _signals = signals ?? new QueueSignals(prefix);
    private readonly List<(string Queue, string JobId)> _announce = [];
    private readonly HashSet<string> _listing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan?> _created = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _locks = [];
    private readonly List<LeanRedisJobStorage.LeanFetchedJob> _acknowledged = [];
    private readonly HashSet<LeanRedisJobStorage.StateLock> _released = [];
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _parameters = new(StringComparer.Ordinal);
    private readonly List<RedisValue> _checks = [];
    private long _succeeded;

    public override string CreateJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        var jobId = Guid.NewGuid().ToString();
        Hash(Job(jobId), NewJob.FieldsOf(job, parameters, createdAt));
        _created[jobId] = expireIn;
        return jobId;
    }

    public override void SetJobParameter(string jobId, string name, string value)
    {
        if (unwritten is not null && unwritten.TryGetValue(jobId, out var job))
        {
            job.Fields[name] = value ?? string.Empty;
            return;
        }

        Add("HSET", Job(jobId), name, value ?? string.Empty);
        if (!_parameters.TryGetValue(jobId, out var written))
        {
            _parameters[jobId] = written = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        written[name] = value ?? string.Empty;
    }

    public override void ExpireJob(string jobId, TimeSpan expireIn)
    {
        _created.Remove(jobId);
        if (unwritten is not null && unwritten.TryGetValue(jobId, out var job))
        {
            job.ExpireIn = expireIn;
        }
        else
        {
            Expire(Job(jobId), expireIn);
        }

        Expire(Job(jobId) + ":history", expireIn);
        Expire(Job(jobId) + ":state", expireIn);
    }

    public override void PersistJob(string jobId)
    {
        if (_created.ContainsKey(jobId))
        {
            _created[jobId] = null; // written without a TTL; its state and history are new
            return;
        }

        if (_processing.Contains(jobId))
        {
            return; // persisted when it was enqueued
        }

        if (unwritten is not null && unwritten.TryGetValue(jobId, out var job))
        {
            job.ExpireIn = null; // written without a TTL; its state and history are new
            return;
        }

        Add("PERSIST", Job(jobId));

        Add("PERSIST", Job(jobId) + ":history");
        Add("PERSIST", Job(jobId) + ":state");
    }

    public override void SetJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _states[jobId] = state.Name;
        if (unwritten is not null && unwritten.TryGetValue(jobId, out var job))
        {
            job.Fields["State"] = state.Name;
        }
        else
        {
            Add("HSET", Job(jobId), "State", state.Name);
        }

        if (!IsNew(jobId))
        {
            if (stateLockOf?.Invoke(jobId) is { } held && _released.Add(held))
            {
                Add("DEL", Job(jobId) + ":state", held.Key);
            }
            else
            {
                Add("DEL", Job(jobId) + ":state");
            }

            if (state.Name == EnqueuedState.StateName)
            {
                // A job enqueued again (a retry, a requeue) loses the Fetched field its last run left (the final
                // state's acknowledgement keeps it): the watcher must not take it for fetched when its next fetch's
                // reply is lost.
                Add("HDEL", Job(jobId), "Fetched", "Checked");
            }
        }

        if (state.Name == ProcessingState.StateName)
        {
            _processing.Add(jobId);
        }

        var data = new Dictionary<string, string>(state.SerializeData()) { ["State"] = state.Name };
        if (state.Reason is not null)
        {
            data["Reason"] = state.Reason;
        }

        Hash(Job(jobId) + ":state", data);
        AddJobState(jobId, state);
    }

    public override void AddJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var data = new Dictionary<string, string?>(state.SerializeData()!)
        {
            ["State"] = state.Name,
            ["Reason"] = state.Reason,
            ["CreatedAt"] = JobHelper.SerializeDateTime(DateTime.UtcNow),
        };
        Add("RPUSH", Job(jobId) + ":history", SerializationHelper.Serialize(data));
    }

    public override void AddToQueue(string queue, string jobId)
    {
        if (_signals.NeedsListing(queue) && _listing.Add(queue))
        {
            Add("SADD", prefix + "queues", queue);
        }

        Add("LPUSH", prefix + "queue:" + queue, jobId);
        _announce.Add((queue, jobId));
    }

    public override void RemoveFromQueue(IFetchedJob fetchedJob)
    {
        ArgumentNullException.ThrowIfNull(fetchedJob);
        if (fetchedJob is LeanRedisJobStorage.LeanFetchedJob lean && !lean.IsRemoved)
        {
            if (lean.IsSurelyOurs)
            {
                Add("LREM", prefix + "queue:" + lean.Queue + ":dequeued", "-1", fetchedJob.JobId); // no HGET Fetched
                _acknowledged.Add(lean);
                return;
            }

            Add("?ack", Job(fetchedJob.JobId), prefix + "queue:" + lean.Queue + ":dequeued", lean.FetchedAt, fetchedJob.JobId);
            _acknowledged.Add(lean);
            return;
        }

        fetchedJob.RemoveFromQueue();
    }

    public override void AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        using var owner = connection();
        _locks.Add(owner.AcquireDistributedLock(resource, timeout));
    }

    public override void Commit()
    {
        foreach (var (jobId, expireIn) in _created)
        {
            if (expireIn is { } ttl)
            {
                Expire(Job(jobId), ttl);
            }
        }

        _created.Clear();
        var served = processed?.Served;
        if (served is not null && _states.ContainsKey(served) && _checks.Count == 0)
        {
            AddTo(_checks, "?state", Job(served), processed!.HeldState ?? string.Empty); // no ZREM processing decides it
        }

        var args = _checks.Count == 0 ? _args : [.. _checks, .. _args];
        if (unwritten is { Count: > 0 })
        {
            // The connection's new jobs first, so every command after them finds their hashes; once this runs they are
            // written (or, if it fails, as lost as a job whose first state never landed: no state, no queue, invisible).
            args = [.. _checks];
            foreach (var (jobId, job) in unwritten)
            {
                AddTo(args, "HMSET", HashArgs(Job(jobId), job.Fields));
                if (job.ExpireIn is { } ttl)
                {
                    AddTo(args, "PEXPIRE", Job(jobId), ((long)ttl.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
                }
            }

            unwritten.Clear(); // later transactions treat them as any job
            args.AddRange(_args);
        }

        if (args.Count > 0)
        {
            RedisResult result;
            try
            {
                result = redis.ScriptEvaluate(CommitScript, keys: null, values: [.. args]);
            }
            catch
            {
                processed?.Drop();
                foreach (var held in _released)
                {
                    held.CommitFailed();
                }

                throw;
            }

            if ((int)result == 0)
            {
                // A check failed before any write: the state locks are still held (their release deletes them) and the
                // job data this change was computed from is stale.
                processed!.Drop();
                throw new JobStateChangedException(served!);
            }
        }

        processed?.Committed(_states, _parameters);

        foreach (var held in _released)
        {
            held.ReleasedByCommit();
        }

        if (_succeeded > 0)
        {
            succeededTotal!(_succeeded);
        }

        foreach (var job in _acknowledged)
        {
            job.MarkRemoved(); // Hangfire's worker acknowledges again after the commit: a no-op now
        }

        foreach (var queue in _listing)
        {
            _signals.Listed(queue);
        }

        foreach (var (queue, jobId) in _announce)
        {
            _signals.Enqueued(redis, queue, jobId);
        }
    }

    public override void Dispose()
    {
        foreach (var held in _locks)
        {
            held.Dispose();
        }

        base.Dispose();
    }

    /// <summary>True for a job whose state and history keys cannot exist yet.</summary>
    private bool IsNew(string jobId) => _created.ContainsKey(jobId) || unwritten?.ContainsKey(jobId) == true;

    private string Job(string jobId) => prefix + "job:" + jobId;

    private void Expire(string key, TimeSpan expireIn)
    {
        var ms = (long)expireIn.TotalMilliseconds;
        if (ms % 1000 == 0)
        {
            Add("EXPIRE", key, (ms / 1000).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            Add("PEXPIRE", key, ms.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void Hash(string key, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var args = HashArgs(key, fields);
        if (args.Length > 1)
        {
            Add("HMSET", args);
        }
    }

    private static RedisValue[] HashArgs(string key, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var args = new List<RedisValue> { key };
        foreach (var (name, value) in fields)
        {
            args.Add(name);
            args.Add(value ?? string.Empty);
        }

        return [.. args];
    }

    private void Add(string command, params RedisValue[] args) => AddTo(_args, command, args);

    private static void AddTo(List<RedisValue> list, string command, params RedisValue[] args)
    {
        list.Add(args.Length + 1);
        list.Add(command);
        list.AddRange(args);
    }
}
