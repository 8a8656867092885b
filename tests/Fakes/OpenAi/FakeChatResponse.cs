namespace OpenClaw.Channels.Fakes.OpenAi;

/// <summary>What <see cref="FakeOpenAiServer"/> answers to one request: a text answer, tool calls, or an HTTP error.</summary>
public sealed record FakeChatResponse
{
    /// <summary>The assistant text (<c>choices[0].message.content</c>); may be null when only tools are called.</summary>
    public string? Text { get; init; }

    /// <summary>Tool calls of the answer; non-empty gives <c>finish_reason</c> <c>tool_calls</c>.</summary>
    public IReadOnlyList<FakeToolCall> ToolCalls { get; init; } = [];

    /// <summary>HTTP status; anything but 200 answers an OpenAI error object
    /// <c>{"error":{"message":…,"type":…,"param":null,"code":…}}</c>.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Value of the <c>Retry-After</c> header (whole seconds, rounded up) on an error; none when null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Error message for an error status.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Delay before answering, in ms; overrides <see cref="FakeOpenAiServer.LatencyMs"/> when set.</summary>
    public int? DelayMs { get; init; }

    /// <summary>Extra response headers, e.g. OpenAI's <c>x-ratelimit-remaining-requests</c> / <c>x-ratelimit-reset-requests</c>
    /// (platform.openai.com/docs/guides/rate-limits).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>finish_reason</c>: <c>tool_calls</c> when there are tool calls, else <c>stop</c>.</summary>
    public string FinishReason => ToolCalls.Count > 0 ? "tool_calls" : "stop";

    /// <summary>A final text answer.</summary>
    public static FakeChatResponse Answer(string text) => new() { Text = text };

    /// <summary>One function call; <paramref name="id"/> defaults to a fresh <c>call_…</c> id.</summary>
    public static FakeChatResponse CallTool(string name, string argumentsJson = "{}", string? id = null)
        => new() { ToolCalls = [new FakeToolCall(id ?? FakeOpenAiServer.NewCallId(), name, argumentsJson)] };

    /// <summary>Several function calls in one answer.</summary>
    public static FakeChatResponse CallTools(params FakeToolCall[] calls) => new() { ToolCalls = calls };

    /// <summary>An HTTP error such as 500, 503 or 429 (with <paramref name="retryAfter"/> as <c>Retry-After</c>).</summary>
    public static FakeChatResponse Error(int statusCode, TimeSpan? retryAfter = null, string? message = null)
        => new() { StatusCode = statusCode, RetryAfter = retryAfter, ErrorMessage = message };
}
