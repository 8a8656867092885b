using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.Hub;

/// <summary>The <c>Hub</c> configuration section.</summary>
public sealed class HubOptions : IValidatableObject
{
    /// <summary>Section name, <c>Hub</c>.</summary>
    public const string SectionName = "Hub";

    /// <summary>This node's id in the ring and its Hangfire queue name (<c>node-{id}</c>). Lower-case letters, digits,
    /// <c>-</c> and <c>_</c>. Default: the host name, so a restarted node serves the runs queued for it before; give
    /// each process its own id when several run on one host.</summary>
    [RegularExpression("^[a-z0-9_-]{1,64}$")]
    public string NodeId { get; set; } = DefaultNodeId();

    /// <summary>Where the embedded mode keeps its files: the in-process Garnet server's append-only file, checkpoints and
    /// spilled log under <c>{DataDirectory}/garnet</c>. Default <c>./data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Prefix of every Redis key the hub writes (Hangfire included). Default <c>openclaw:</c>.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "openclaw:";

    /// <summary>Agent id used in session keys. Default <c>main</c>.</summary>
    [Required]
    public string AgentId { get; set; } = SessionKey.DefaultAgentId;

    /// <summary>Direct chats: one session per peer (default) or one main session.</summary>
    public DirectSessionScope DirectSessionScope { get; set; } = DirectSessionScope.PerPeer;

    /// <summary>How long an idempotency key is remembered, in seconds. Default 86,400 (Telegram keeps updates 24 h).</summary>
    [Range(10, 7 * 86_400)]
    public int DedupeTtlSeconds { get; set; } = 86_400;

    /// <summary>Hangfire workers of the chat lane on this node, i.e. agent runs in flight at once. Default (unset): as many
    /// as the model allows, <c>Agent:MaxConcurrency</c> when it is set, capped by <see cref="MaxRunsPerNode"/>. Set it only
    /// to pin the number.</summary>
    [Range(1, 4096)]
    public int? WorkerCount { get; set; }

    /// <summary>The most agent runs one node keeps in flight when <see cref="WorkerCount"/> is not set, whatever the
    /// model allows. Each run holds a Hangfire worker thread while it waits on the model, so this bounds threads and
    /// memory (about 100 KB per idle worker). Default 512: 1,000 chats at a 2-s model and 200 msg/s need about 400.</summary>
    [Range(1, 4096)]
    public int MaxRunsPerNode { get; set; } = 512;

    /// <summary>Turns one run answers before it yields: it queues a new run of its session behind the other sessions'
    /// runs, so a busy chat never holds a worker while others wait. Default 4.</summary>
    [Range(1, 10_000)]
    public int MaxTurnsPerRun { get; set; } = 4;

    /// <summary>Time slice of one run, in ms: after it the run yields like after <see cref="MaxTurnsPerRun"/> turns
    /// (checked between turns). Default 10,000.</summary>
    [Range(100, 3_600_000)]
    public int RunSliceMs { get; set; } = 10_000;

    /// <summary>Inbound admission: the most unanswered messages (accepted, not yet answered) of sessions this node owns
    /// before acknowledgements to the platform slow down. A message beyond it waits up to <see cref="AdmissionWaitMs"/>
    /// for an answered message to free its place, then is accepted anyway: never refused, never dropped. A chat with
    /// nothing unanswered is admitted at once, so a flood from busy chats does not delay a new chat's first answer.
    /// 0 turns admission off. Default 1,000.</summary>
    [Range(0, 10_000_000)]
    public int AdmissionMaxBacklog { get; set; } = 1_000;

    /// <summary>How long, in ms, an inbound message waits for a place in the backlog (<see cref="AdmissionMaxBacklog"/>)
    /// before it is accepted anyway; the platform's acknowledgement is delayed by that much at most. Keep it below the
    /// platform's webhook timeout (Slack: 3 s). Default 1,000; 0 to 60,000.</summary>
    [Range(0, 60_000)]
    public int AdmissionWaitMs { get; set; } = 1_000;

    /// <summary>Attempts of a message whose turn fails deterministically (the turn throws, the platform refuses the
    /// content) before it is dead-lettered. Transient failures (Redis, network, 5xx, 429) do not count. Default 3.</summary>
    [Range(1, 100)]
    public int MaxMessageAttempts { get; set; } = 3;

    /// <summary>At shutdown (SIGTERM), how long turns in flight may take to finish, in ms; then they are cancelled and
    /// their locks released. No new runs start once shutdown begins. Default 30,000.</summary>
    [Range(0, 600_000)]
    public int ShutdownTimeoutMs { get; set; } = 30_000;

    /// <summary>Node heartbeat period for ring membership, in ms. Default 2,000.</summary>
    [Range(100, 600_000)]
    public int NodeHeartbeatMs { get; set; } = 2_000;

    /// <summary>A node missing heartbeats for this long, in ms, leaves the ring. Default 10,000.</summary>
    [Range(300, 3_600_000)]
    public int NodeTtlMs { get; set; } = 10_000;

    /// <summary>Virtual nodes per hub node on the consistent-hash ring. Default 128.</summary>
    [Range(1, 4096)]
    public int VirtualNodes { get; set; } = 128;

    /// <summary>Session lock lease, in ms; extended every third of it while the run lasts. A run whose extension fails
    /// stops acting on the session at once. Default 30,000.</summary>
    [Range(1000, 600_000)]
    public int LockLeaseMs { get; set; } = 30_000;

    /// <summary>How long a run waits for a busy session lock, in ms, before leaving the session to the run holding it. Default 30,000.</summary>
    [Range(0, 600_000)]
    public int LockWaitMs { get; set; } = 30_000;

    /// <summary>A session with queued messages and no progress for this long, in ms, is checked by the rescue sweep; it
    /// gets a new run only if its run is dead (its node left the ring, or its Hangfire job is neither enqueued, processing
    /// nor scheduled). Default 60,000.</summary>
    [Range(1000, 86_400_000)]
    public int StaleSessionMs { get; set; } = 60_000;

    /// <summary>How long after an append, in ms, the accepting node may take to create the session's job before the rescue
    /// sweep takes the job for lost (the effective grace is at least <see cref="StaleSessionMs"/>). A router creates a job
    /// within milliseconds and retries it through a Redis outage; a rescue of a job that does come after all costs one
    /// extra run that finds the session locked or drained. Default 10,000.</summary>
    [Range(100, 86_400_000)]
    public int SchedulingGraceMs { get; set; } = 10_000;

    /// <summary>How often the succeeded-job counts (the dashboard's succeeded total and history graphs) are added to
    /// Redis, in ms; between flushes the total lags by up to this much, and a node that dies loses at most this much of
    /// counts. Default 5,000.</summary>
    [Range(100, 600_000)]
    public int StatisticsFlushMs { get; set; } = 5_000;

    /// <summary>How often the chat lane's Hangfire server heartbeats, in ms. The rescue sweep takes a run processing on a
    /// server without a heartbeat for three periods as dead (a node restarted under the same node id is in the ring again,
    /// but the server of its SIGKILLed process is not). Default 5,000.</summary>
    [Range(100, 600_000)]
    public int JobServerHeartbeatMs { get; set; } = 5_000;

    /// <summary>How long an idle Hangfire worker waits before it polls its queues again although no job was announced,
    /// in ms. Every enqueue is announced (in process for this node's own queue, else on Hangfire.Redis's pub/sub channel)
    /// and wakes the fetchers at once, and a queue a pop found empty is popped again only after an announcement for it
    /// (<c>QueueSignals</c>); the poll of every queue after this wait is only the safety net for an announcement lost with
    /// a connection or a job requeued silently. Each poll is one <c>RPOPLPUSH</c> per queue. Default 5,000 (was 100,
    /// and 1,000 embedded, when Hangfire.Redis's own wake-up could miss a job: the polls were the idle hub's main cost).</summary>
    [Range(10, 600_000)]
    public int JobFetchTimeoutMs { get; set; } = 5_000;

    /// <summary>How often this node's chat-lane Hangfire server looks for scheduled (delayed) jobs, in ms; each look takes
    /// a Redis distributed lock (about ten commands). The chat lane schedules only retries with backoff, which tolerate
    /// this much extra delay. Default 5,000 (was 1,000: two lock rounds per second at idle).</summary>
    [Range(100, 600_000)]
    public int SchedulePollingMs { get; set; } = 5_000;

    /// <summary>Idle Hangfire workers of one server that may poll the queues at the same time; the others wait
    /// in process until one of them has taken a job. Hangfire.Redis wakes every idle worker on each enqueue, so this bounds
    /// the Redis pops and thread wake-ups per job (see bench/README.md). At idle only one of them keeps polling; the others
    /// stop after a second without a job and resume when jobs come. Default 2.</summary>
    [Range(1, 1000)]
    public int JobFetchers { get; set; } = 2;

    /// <summary>Independent Redis endpoints (connection strings) for the RedLock quorum. Empty: the
    /// <c>ConnectionStrings:Redis</c> server alone.</summary>
    public List<string> RedLockEndpoints { get; set; } = [];

    /// <summary>Bearer token for the admin HTTP API; empty: the API answers only local requests (loopback peer and
    /// no <c>X-Forwarded-For</c> / <c>Forwarded</c> / <c>X-Real-IP</c> header).</summary>
    public string? AdminToken { get; set; }

    /// <summary>Reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> / <c>X-Forwarded-Host</c> the
    /// hub trusts: IP addresses (<c>127.0.0.1</c>) or CIDR networks (<c>10.0.0.0/8</c>). Empty (default): forwarded
    /// headers are not applied, and a request carrying one is never treated as local.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var entry in KnownProxies)
        {
            var valid = entry.Contains('/', StringComparison.Ordinal)
                ? System.Net.IPNetwork.TryParse(entry, out _)
                : System.Net.IPAddress.TryParse(entry, out _);
            if (!valid)
            {
                yield return new ValidationResult($"'{entry}' is neither an IP address nor a CIDR network such as 10.0.0.0/8.", [nameof(KnownProxies)]);
            }
        }
    }

    private static string DefaultNodeId()
    {
        var host = new string(Environment.MachineName.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(40).ToArray());
        return host.Length == 0 ? "node" : host;
    }
}
