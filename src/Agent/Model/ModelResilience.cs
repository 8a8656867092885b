using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace OpenClaw.Channels.Agent;

/// <summary>The retry and attempt-timeout pipeline of the HttpClient toward the model.</summary>
internal static partial class ModelResilience
{
    /// <summary>Name of the resilience pipeline.</summary>
    public const string PipelineName = "openclaw-agent-model";

    /// <summary>Polly's own telemetry for this pipeline: every execution attempt and retry event at Debug (they are
    /// per attempt, and the handled last attempt is an Error with the response), so a failed model call is one line from
    /// the caller instead of one per attempt. Other pipelines keep Polly's severities.</summary>
    public static void QuietAttempts(TelemetryOptions options)
    {
        var previous = options.SeverityProvider;
        options.SeverityProvider = args =>
            args.Source.PipelineName?.Contains(PipelineName, StringComparison.Ordinal) == true && args.Event.EventName is "ExecutionAttempt" or "OnRetry"
                ? ResilienceEventSeverity.Debug
                : previous?.Invoke(args) ?? args.Event.Severity;
    }

    /// <summary>Retries (<see cref="AgentOptions.MaxRetries"/>, exponential backoff from <see cref="AgentOptions.RetryBaseDelayMs"/>
    /// with jitter, <c>Retry-After</c> honoured up to <see cref="AgentOptions.MaxRetryDelaySeconds"/>) on HTTP 408, 429, 5xx,
    /// transport errors and attempt timeouts; each attempt is bounded by <see cref="AgentOptions.RequestTimeoutSeconds"/>.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        var o = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var diagnostics = services.GetRequiredService<AgentDiagnostics>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ModelResilience).FullName!);
        var maxDelay = TimeSpan.FromSeconds(o.MaxRetryDelaySeconds);

        if (o.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(o.RetryBaseDelayMs),
                MaxDelay = maxDelay,
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, maxDelay, timeProvider)),
                OnRetry = args =>
                {
                    var status = args.Outcome.Result is { } r ? (int)r.StatusCode : 0;
                    diagnostics.ModelRetries.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));
                    LogRetry(logger, args.AttemptNumber + 1, o.MaxRetries, status, args.Outcome.Exception?.GetType().Name ?? "-", (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddTimeout(TimeSpan.FromSeconds(o.RequestTimeoutSeconds));
    }

    /// <summary>The server's <c>Retry-After</c> (delta seconds or HTTP date) capped at <paramref name="maxDelay"/>, or
    /// <see langword="null"/> to use the backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan maxDelay, TimeProvider timeProvider)
    {
        RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
        TimeSpan? delay = null;
        if (header?.Delta is { } delta)
        {
            delay = delta;
        }
        else if (header?.Date is { } date)
        {
            delay = date - timeProvider.GetUtcNow();
        }
        else if (response is not null
            && response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
        {
            delay = TimeSpan.FromMilliseconds(ms); // sent by OpenAI and Azure OpenAI next to Retry-After
        }

        if (delay is null)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > maxDelay ? maxDelay : delay;
    }

    // Debug: a retry is not a failure; a call that fails after its retries is logged once, by the caller.
    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug,
        Message = "Retrying the model call ({Attempt}/{MaxRetries}) after HTTP {Status} / {Exception} in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, int attempt, int maxRetries, int status, string exception, long delayMs);
}
