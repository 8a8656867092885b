using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A decorator of Hangfire.Redis.StackExchange's <c>RedisStorage</c> (1.12) that does its per-job steps
/// in fewer Redis commands, on the same keys, so the dashboard and every other Hangfire part read what they always read:
/// <list type="bullet">
/// <item><see cref="IStorageConnection.GetJobData"/> returns the job hash it already reads (<c>HGETALL job:{id}</c>) as
/// <see cref="JobData.ParametersSnapshot"/>, so the filters that accept a snapshot (<c>CaptureCultureAttribute</c>,
/// <c>ContinuationsSupportAttribute</c>, the run's own <c>FailedMessages</c>) do not read each parameter again
/// (four <c>HGET</c> per job). The job a connection moved to Processing is answered from what that state change read and
/// wrote, without a read, until the connection writes it otherwise (<see cref="ProcessedJobCache"/>: the worker's second
/// <c>HGETALL</c>).</item>
/// <item>The per-job state lock (<c>job:{id}:state-lock</c>, taken twice per job by Hangfire's state changer) is
/// <c>SET NX EX</c> and a plain <c>DEL</c> (2 commands) instead of <c>SET NX</c> and StackExchange.Redis's
/// <c>LockRelease</c> transaction (<c>WATCH GET MULTI UNLINK EXEC</c>, then a <c>SELECT</c>: 7). The plain <c>DEL</c>
/// is safe while less than half of <see cref="StateLockHold"/> has passed since before the <c>SET</c> was sent (the key
/// cannot have expired and been taken by another holder yet); a later release is the compare-and-delete script
/// (<c>EVALSHA GET DEL</c>). A state change whose script runs within that half deletes the lock in the script's
/// <c>DEL</c> of the job's old state hash, so the release costs no command of its own (<see cref="ReleasableStateLock"/>).
/// Reentrant per thread as Hangfire.Redis's lock; other locks are the inner storage's.</item>
/// <item>A fetched job is removed from its queue's <c>:dequeued</c> list by one script (<c>HGET Fetched</c>, <c>LREM</c>,
/// <c>HDEL</c>), once, after the final state is committed. The inner job does it inside the state transaction's
/// preparation (before the commit) and again after it, each time in a transaction with a <c>PUBLISH</c> on the job-fetch
/// channel that wakes every idle fetcher for nothing (12 commands and two wake-ups per job).</item>
/// <item>Every write transaction is one Lua script (<see cref="LeanWriteTransaction"/>); a job Hangfire's client creates
/// is written by its first state's script (<see cref="NewJob"/>).</item>
/// </list></summary>
/// <remarks>Removing after the commit is what Hangfire's worker does for storages without transactional
/// acknowledgement: a crash between the two leaves the job in <c>:dequeued</c>, and the fetched-jobs watcher requeues it
/// after the invisibility timeout (an agent run is idempotent: it finds the inbox drained). The stock order lost the job
/// instead (removed from the queue, still Processing).</remarks>
internal sealed partial class LeanRedisJobStorage : ForwardingJobStorage
{
    /// <summary>How long a state lock is held at most: Hangfire.Redis's default hold (30 s). A state change takes
    /// milliseconds; no sliding extension.</summary>
    internal static readonly TimeSpan StateLockHold = TimeSpan.FromSeconds(30);

    private const string StateLockSuffix = ":state-lock";

    /// <summary>A job parameter that names the id of the job Hangfire's client creates (a GUID string), instead of a new
    /// one; it is not stored (<c>IBackgroundJobClientV2.Create</c> with parameters: the router's runs, whose id the append
    /// recorded).</summary>
    public const string JobIdParameter = "OpenClaw.JobId";

    // KEYS: lock. ARGV: token.
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    // KEYS: job hash, the queue's dequeued list. ARGV: the Fetched value this fetch wrote, job id.
    private const string RemoveFromQueueScript =
        """
        if redis.call('HGET', KEYS[1], 'Fetched') ~= ARGV[1] then return 0 end
        redis.call('LREM', KEYS[2], -1, ARGV[2])
        redis.call('HDEL', KEYS[1], 'Fetched', 'Checked')
        return 1
        """;

    // KEYS: job hash, the queue's dequeued list, the queue. ARGV: the Fetched value this fetch wrote, job id.
    private const string RequeueScript =
        """
        if redis.call('HGET', KEYS[1], 'Fetched') ~= ARGV[1] then return 0 end
        redis.call('RPUSH', KEYS[3], ARGV[2])
        redis.call('LREM', KEYS[2], -1, ARGV[2])
        redis.call('HDEL', KEYS[1], 'Fetched', 'Checked')
        return 1
        """;

    /// <summary>How long an idle fetch waits for an announcement before it pops every queue anyway (default of
    /// <c>Hub:JobFetchTimeoutMs</c>): 5 s.</summary>
    public static readonly TimeSpan DefaultFetchTimeout = TimeSpan.FromSeconds(5);

    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly TimeSpan _fetchTimeout;
    private readonly ConcurrentDictionary<string, StateLock> _heldStateLocks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The Hangfire.Redis storage.</param>
    /// <param name="redis">Its multiplexer.</param>
    /// <param name="prefix">Its <c>RedisStorageOptions.Prefix</c>.</param>
    /// <param name="signals">Which queues may hold work, and who is told of an enqueue; default: every queue is
    /// announced on the job-fetch channel, nothing is subscribed (<see cref="QueueSignals.Subscribe"/>).</param>
    /// <param name="fetchTimeout">How long an idle fetch waits for an announcement before it pops every queue anyway;
    /// default <see cref="DefaultFetchTimeout"/>.</param>
    /// <param name="time">The clock that times a state lock's hold (plain <c>DEL</c> or compare-and-delete); default
    /// <see cref="TimeProvider.System"/>.</param>
    public LeanRedisJobStorage(JobStorage inner, IConnectionMultiplexer redis, string prefix, QueueSignals? signals = null, TimeSpan? fetchTimeout = null, TimeProvider? time = null)
        : base(inner)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _prefix = prefix;
        Signals = signals ?? new QueueSignals(prefix);
        _fetchTimeout = fetchTimeout ?? DefaultFetchTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_fetchTimeout, TimeSpan.Zero, nameof(fetchTimeout));
    }

    /// <summary>The queue hints and announcements of this storage.</summary>
    public QueueSignals Signals { get; }

    /// <summary>Takes the increments of the dashboard's succeeded total (<c>stats:succeeded</c>, one per job entering
    /// Succeeded) that a committed transaction made, instead of an <c>INCR</c> in its script
    /// (<see cref="SucceededStatisticsBuffer.CountSucceededTotal"/> adds them every few seconds); default null: the
    /// <c>INCR</c>.</summary>
    public Action<long>? SucceededTotal { get; init; }

    /// <summary>Hangfire.Redis's <c>RedisStorageOptions.InvisibilityTimeout</c> (default 30 minutes): its fetched-jobs
    /// watcher requeues a job whose <c>Fetched</c> is older. Within half of it since the fetch (this process's clock, read
    /// before the fetch's pop) no watcher can have requeued the job, so the final state's acknowledgement is a plain
    /// <c>LREM</c> without the <c>HGET Fetched</c> that compares the fetch (<see cref="LeanFetchedJob.IsSurelyOurs"/>).</summary>
    public TimeSpan InvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public override IStorageConnection GetConnection() => new LeanConnection(this, Inner.GetConnection());

    /// <summary>The inner storage's features, and transactional acknowledgement of a <see cref="LeanFetchedJob"/>
    /// (<see cref="LeanWriteTransaction.RemoveFromQueue"/> removes it in the final state's script).</summary>
    public override bool HasFeature(string featureId)
        => featureId == JobStorageFeatures.Transaction.RemoveFromQueue(typeof(LeanFetchedJob)) || Inner.HasFeature(featureId);

    private IDatabase Db => _redis.GetDatabase();

    private Dictionary<string, string>? ReadJob(string jobId)
    {
        var entries = Db.HashGetAll(_prefix + "job:" + jobId);
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            fields[entry.Name.ToString()] = entry.Value.ToString();
        }

        return fields;
    }

    private static JobData JobDataOf(Dictionary<string, string> fields)
    {
        string? Field(string name) => fields.TryGetValue(name, out var value) ? value : null;
        var invocation = new InvocationData(Field("Type"), Field("Method"), Field("ParameterTypes"), Field("Arguments"), Field("Queue"));
        Job? job = null;
        JobLoadException? loadException = null;
        try
        {
            job = invocation.DeserializeJob();
        }
        catch (JobLoadException ex)
        {
            loadException = ex;
        }

        return new JobData
        {
            Job = job,
            InvocationData = invocation,
            State = Field("State"),
            CreatedAt = JobHelper.DeserializeNullableDateTime(Field("CreatedAt")) ?? DateTime.MinValue,
            LoadException = loadException,
            ParametersSnapshot = fields,
        };
    }

    /// <summary>Hangfire.Redis's fetch (<c>RPOPLPUSH</c> of each queue in order, then <c>HSET Fetched</c> on the job
    /// taken), but a queue is popped only by a fetcher that claimed one of its outstanding announcements
    /// (<see cref="QueueSignals.TryClaim"/>: one pop per announcement, not one per woken fetcher); with nothing to pop it
    /// waits for an announcement, and pops every queue once <see cref="DefaultFetchTimeout"/> has passed since its last
    /// full poll (announcements of other queues do not hold that off). The token is checked only before the pops: a job
    /// moved to <c>:dequeued</c> is always returned.</summary>
    private LeanFetchedJob Fetch(string[] queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var everyQueue = false;
        var fullPollAt = _time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var wake = Signals.WakeToken;
            foreach (var queue in queues)
            {
                var poppedAt = _time.GetTimestamp(); // before the pop: the job's Fetched is later than this
                var version = Signals.Version(queue);
                if (!Signals.TryClaim(queue, version) && !everyQueue)
                {
                    continue; // every announcement is another fetcher's pop
                }

                RedisValue jobId;
                try
                {
                    jobId = Db.ListRightPopLeftPush(_prefix + "queue:" + queue, _prefix + "queue:" + queue + ":dequeued");
                }
                catch
                {
                    Signals.Announce(queue); // the claimed announcement's job may still be there
                    throw;
                }

                if (jobId.IsNull)
                {
                    Signals.SeenEmpty(queue, version);
                    continue;
                }

                var fetchedAt = JobHelper.SerializeDateTime(DateTime.UtcNow);
                Db.HashSet(_prefix + "job:" + jobId, "Fetched", fetchedAt);
                return new LeanFetchedJob(this, jobId!, queue, fetchedAt, poppedAt);
            }

            // Every queue again after the fetch timeout, also when announcements of other queues keep waking this fetch:
            // a job whose announcement was lost (its enqueue's reply lost with Redis) is found within that time.
            everyQueue = WaitHandle.WaitAny([cancellationToken.WaitHandle, wake.WaitHandle], _fetchTimeout) == WaitHandle.WaitTimeout
                || _time.GetElapsedTime(fullPollAt) >= _fetchTimeout;
            if (everyQueue)
            {
                fullPollAt = _time.GetTimestamp();
            }
        }
    }

    private sealed class LeanConnection(LeanRedisJobStorage storage, IStorageConnection inner) : ForwardingStorageConnection(inner)
    {
        private readonly ProcessedJobCache _processed = new();

        /// <summary>The job's hash (<c>HGETALL</c>), or, for the job this connection moved to Processing and has not
        /// written since, the hash as it read and wrote it (<see cref="ProcessedJobCache"/>: the worker's second read).</summary>
        public override JobData GetJobData(string jobId)
        {
            ArgumentNullException.ThrowIfNull(jobId);
            Write(jobId);
            if (_processed.TryServe(jobId) is { } held)
            {
                return JobDataOf(held);
            }

            var fields = storage.ReadJob(jobId);
            if (fields is null)
            {
                return null!; // an unknown job, as the inner connection (Hangfire's contract)
            }

            _processed.Read(jobId, fields);
            return JobDataOf(fields);
        }

        public override string GetJobParameter(string id, string name)
        {
            Write(id);
            return base.GetJobParameter(id, name);
        }

        public override void SetJobParameter(string id, string name, string value)
        {
            Write(id);
            _processed.Written(id);
            base.SetJobParameter(id, name, value);
        }

        public override void Dispose()
        {
            try
            {
                foreach (var jobId in _unwritten.Keys.ToList())
                {
                    Write(jobId); // created, but no state followed on this connection: it exists and expires, as asked
                }
            }
            catch (Exception ex) when (TransientFailure.Is(ex))
            {
                // A job without a state is invisible to every part of Hangfire; not writing it loses nothing.
            }

            base.Dispose();
        }

        public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
            => resource.EndsWith(StateLockSuffix, StringComparison.Ordinal) ? storage.AcquireStateLock(resource, timeout) : Inner.AcquireDistributedLock(resource, timeout);

        public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken) => storage.Fetch(queues, cancellationToken);

        private readonly Dictionary<string, NewJob> _unwritten = new(StringComparer.Ordinal);

        /// <summary>Hangfire's client creates a job and then, on the same connection, applies its first state: the job's
        /// hash is kept here and written by that state's script (<see cref="LeanWriteTransaction"/>), so a job costs no
        /// script of its own. A read or parameter change of it on this connection, or the connection's end without a
        /// state, writes it on its own first (the hash and its TTL in one script).</summary>
        /// <remarks>A lost reply to that script leaves the job Enqueued while the client sees a failure, as a lost reply to
        /// the first state's transaction did before; a reply lost before the write leaves no job at all, where it left an
        /// expiring job without a state, which nothing could see.</remarks>
        public override string CreateExpiredJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            var jobId = Guid.NewGuid().ToString();
            if (parameters.TryGetValue(JobIdParameter, out var preset))
            {
                if (SerializationHelper.Deserialize<string>(preset, SerializationOption.User) is { } id && Guid.TryParse(id, out _))
                {
                    jobId = id;
                }

                parameters = parameters.Where(p => p.Key != JobIdParameter).ToDictionary(StringComparer.Ordinal);
            }

            _unwritten[jobId] = new NewJob(job, parameters, createdAt, expireIn);
            return jobId;
        }

        public override IWriteOnlyTransaction CreateWriteTransaction()
            => new LeanWriteTransaction(storage.Db, storage._prefix, storage.GetConnection, _unwritten, storage.Signals, storage.ReleasableStateLock, storage.SucceededTotal, _processed);

        private void Write(string jobId)
        {
            if (_unwritten.Remove(jobId, out var job))
            {
                job.Write(storage.Db, storage._prefix + "job:" + jobId);
            }
        }
    }

    /// <summary>A job this storage fetched (<see cref="Fetch"/>), removed from its queue once: in the final state's
    /// script (<see cref="LeanWriteTransaction.RemoveFromQueue"/>) or by one script of its own. Requeued (also on
    /// dispose when neither removed nor requeued) by one script while its <c>Fetched</c> field is still the one this
    /// fetch wrote, as Hangfire.Redis's <c>RedisFetchedJob</c> does in a transaction (<c>RPUSH</c> back onto the queue,
    /// out of <c>:dequeued</c>, <c>Fetched</c> and <c>Checked</c> cleared); the queue's fetchers here are told.</summary>
    internal sealed class LeanFetchedJob(LeanRedisJobStorage storage, string jobId, string queue, string fetchedAt, long poppedAt = 0) : IFetchedJob
    {
        /// <summary>True while less than half of <see cref="InvisibilityTimeout"/> has passed since before the fetch's
        /// pop: no fetched-jobs watcher can have requeued the job (and another fetch taken it) yet, so its entry in
        /// <c>:dequeued</c> is this fetch's (a Requeue from the dashboard meanwhile leaves one entry per fetch, all the
        /// same id: removing one is right either way).</summary>
        public bool IsSurelyOurs => poppedAt != 0 && storage._time.GetElapsedTime(poppedAt) < storage.InvisibilityTimeout / 2;

        private bool _requeued;

        public string JobId => jobId;

        /// <summary>The queue it was fetched from.</summary>
        public string Queue => queue;

        /// <summary>The <c>Fetched</c> field this fetch wrote (the job is ours while it is unchanged).</summary>
        public string FetchedAt => fetchedAt;

        /// <summary>True once removed from the queue's <c>:dequeued</c> list.</summary>
        public bool IsRemoved { get; private set; }

        /// <summary>A committed transaction removed it.</summary>
        public void MarkRemoved() => IsRemoved = true;

        public void RemoveFromQueue()
        {
            if (IsRemoved)
            {
                return;
            }

            storage.Db.ScriptEvaluate(
                RemoveFromQueueScript,
                [storage._prefix + "job:" + JobId, storage._prefix + "queue:" + queue + ":dequeued"],
                [fetchedAt, JobId]);
            IsRemoved = true;
        }

        public void Requeue()
        {
            storage.Db.ScriptEvaluate(
                RequeueScript,
                [storage._prefix + "job:" + JobId, storage._prefix + "queue:" + queue + ":dequeued", storage._prefix + "queue:" + queue],
                [fetchedAt, JobId]);
            _requeued = true;
            storage.Signals.Announce(queue);
        }

        public void Dispose()
        {
            if (!IsRemoved && !_requeued)
            {
                Requeue();
            }
        }
    }
}
