using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.Agent;

/// <summary>The <c>Agent</c> configuration section.</summary>
public sealed class AgentOptions
{
    /// <summary>Configuration section name, <c>Agent</c>.</summary>
    public const string SectionName = "Agent";

    /// <summary>Base URL of an OpenAI-compatible API, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c>.
    /// Empty: the hub runs and every message gets one reply saying the model is not configured.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Model name sent to the endpoint. Default <c>gpt-4o-mini</c>.</summary>
    [Required]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>API key sent as a bearer token; never logged. Empty for local servers that need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>System prompt placed before the transcript.</summary>
    public string SystemPrompt { get; set; } = "You are a helpful assistant chatting through a messaging app. Answer concisely.";

    /// <summary>Most model calls in one turn (tool round trips included). Default 8.</summary>
    [Range(1, 100)]
    public int MaxIterations { get; set; } = 8;

    /// <summary>Transcript entries sent to the model before the new messages. Default 40.</summary>
    [Range(1, 10_000)]
    public int HistoryEntries { get; set; } = 40;

    /// <summary>Timeout of one tool call, in seconds. Default 30.</summary>
    [Range(1, 3600)]
    public int ToolTimeoutSeconds { get; set; } = 30;

    /// <summary>Timeout of one model HTTP attempt, in seconds. Default 120.</summary>
    [Range(1, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 120;

    /// <summary>Retries toward the model on 429/5xx/timeouts, with exponential backoff and jitter, honouring Retry-After. Default 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>An explicit cap: model requests allowed per minute across the node (token bucket). Default 0: no cap of
    /// ours; the node follows what the provider says (<c>429</c> + <c>Retry-After</c>, <c>x-ratelimit-remaining-*</c> /
    /// <c>x-ratelimit-reset-*</c>). Set it to stay under a quota the provider does not announce, e.g. 60 for a free tier.</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; }

    /// <summary>An explicit cap: model requests in flight at once on the node. Default 0: no cap of ours (the hub's runs
    /// in flight are bounded by <c>Hub:MaxRunsPerNode</c>). Set it for a server with a fixed number of slots, e.g. 4
    /// for a local llama.cpp/vLLM started with 4 parallel sequences; the hub then runs that many chats at once.</summary>
    [Range(0, 10_000)]
    public int MaxConcurrency { get; set; }

    /// <summary>Base delay of the exponential retry backoff toward the model, in ms (jitter is added). Default 1000.</summary>
    [Range(1, 600_000)]
    public int RetryBaseDelayMs { get; set; } = 1000;

    /// <summary>Upper bound of one retry delay toward the model, in seconds, including a server's <c>Retry-After</c>
    /// (a longer <c>Retry-After</c> is shortened to this). Default 60.</summary>
    [Range(1, 3600)]
    public int MaxRetryDelaySeconds { get; set; } = 60;

    /// <summary>Model calls that may wait for the rate or concurrency limiter on the node; a call beyond this bound
    /// ends its turn with <see cref="AgentRunStatus.ModelFailed"/> ("busy"). Default 1000.</summary>
    [Range(0, 1_000_000)]
    public int MaxQueuedRequests { get; set; } = 1000;

    /// <summary>True (default): images users send (up to <see cref="MaxImagesPerTurn"/>, each within
    /// <see cref="MaxImageBytes"/>) are downloaded inside the turn and given to the model as image content (an OpenAI
    /// <c>image_url</c> part with a <c>data:</c> URL). False, for text-only models: every attachment is a text placeholder.</summary>
    public bool Vision { get; set; } = true;

    /// <summary>Largest image given to the model, in bytes; a larger one becomes a placeholder and is never downloaded past
    /// this size. Default 5 MiB (5,242,880).</summary>
    [Range(1, 100L * 1024 * 1024)]
    public long MaxImageBytes { get; set; } = 5L * 1024 * 1024;

    /// <summary>Most images given to the model in one turn (the first ones in arrival order); later ones become
    /// placeholders. Default 4; 0 gives placeholders only.</summary>
    [Range(0, 100)]
    public int MaxImagesPerTurn { get; set; } = 4;

    /// <summary>Timeout of one attachment download (the platform's file lookup and the bytes), in seconds; a download that
    /// takes longer becomes a placeholder. Default 20.</summary>
    [Range(1, 600)]
    public int AttachmentTimeoutSeconds { get; set; } = 20;

    /// <summary>Largest file a tool may return for the answer (Microsoft.Extensions.AI <c>DataContent</c>), in bytes; a
    /// larger one is not sent and the model is told so. Each platform's own limit applies on top (a file above it is sent as
    /// a placeholder text). Default 20 MiB (20,971,520).</summary>
    [Range(1, 100L * 1024 * 1024)]
    public long MaxToolFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>IANA or Windows time zone id for the current-time tool. Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";
}
