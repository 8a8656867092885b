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

    /// <summary>Where the embedded mode keeps its files (transcripts, channel state). Default <c>./data</c>.</summary>
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

    /// <summary>Hangfire workers of the chat lane on this node. Default 20 (runs mostly wait on the model).</summary>
    [Range(1, 1000)]
    public int WorkerCount { get; set; } = 20;

    /// <summary>Node heartbeat period for ring membership, in ms. Default 2,000.</summary>
    [Range(100, 600_000)]
    public int NodeHeartbeatMs { get; set; } = 2_000;

    /// <summary>A node missing heartbeats for this long, in ms, leaves the ring. Default 10,000.</summary>
    [Range(300, 3_600_000)]
    public int NodeTtlMs { get; set; } = 10_000;

    /// <summary>Virtual nodes per hub node on the consistent-hash ring. Default 128.</summary>
    [Range(1, 4096)]
    public int VirtualNodes { get; set; } = 128;

    /// <summary>Session lock lease, in ms; RedLock extends it while the run lasts. Default 30,000.</summary>
    [Range(1000, 600_000)]
    public int LockLeaseMs { get; set; } = 30_000;

    /// <summary>How long a run waits for a busy session lock, in ms, before leaving the session to the run holding it. Default 30,000.</summary>
    [Range(0, 600_000)]
    public int LockWaitMs { get; set; } = 30_000;

    /// <summary>A session with queued messages and no progress for this long, in ms, gets a new run (rescue after a crash). Default 60,000.</summary>
    [Range(1000, 86_400_000)]
    public int StaleSessionMs { get; set; } = 60_000;

    /// <summary>Redis mode: how long an idle Hangfire worker waits for a new-job notification before it polls its queues
    /// again, in ms. Hangfire.Redis wakes idle workers by pub/sub, which can coalesce notifications under bursts, so a
    /// short poll bounds how long a queued run waits for an idle worker (when a wake-up was lost, which at 100 msg/s is
    /// often: 250 ms here raised the hub overhead p95 from 21 to 333 ms). Each poll is one <c>RPOPLPUSH</c> per queue of
    /// the polling fetcher, the largest part of an idle node's Redis traffic. Default 100.</summary>
    [Range(10, 600_000)]
    public int JobFetchTimeoutMs { get; set; } = 100;

    /// <summary>How often this node's chat-lane Hangfire server looks for scheduled (delayed) jobs, in ms; each look takes
    /// a Redis distributed lock (about ten commands). The chat lane schedules only retries with backoff, which tolerate
    /// this much extra delay. Default 5,000 (was 1,000: two lock rounds per second at idle).</summary>
    [Range(100, 600_000)]
    public int SchedulePollingMs { get; set; } = 5_000;

    /// <summary>Redis mode: idle Hangfire workers of one server that may poll the queues at the same time; the others wait
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
