using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>Registers the agent loop.</summary>
public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the agent: <see cref="AgentOptions"/> bound from <paramref name="section"/> (the <c>Agent</c> section) and
    /// validated at start; <see cref="IAgentRunner"/>; the model client (Microsoft.Extensions.AI <c>IChatClient</c> over the
    /// OpenAI-compatible <c>{Endpoint}/chat/completions</c>) on a named HttpClient with retries, backoff, <c>Retry-After</c>
    /// and per-attempt timeouts; a node-wide rate and concurrency limiter; the built-in tools <c>current_time</c> and
    /// <c>session_status</c> as an <see cref="IAgentToolProvider"/>; and, unless one is already registered, the
    /// <see cref="JsonlTranscriptStore"/> as <see cref="ITranscriptStore"/> with <see cref="JsonlTranscriptOptions"/> bound from
    /// <c>Agent:Transcripts</c>. Also adds <see cref="TimeProvider.System"/> and metrics unless present.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The <c>Agent</c> configuration section.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>Images users send reach the model through the channels' <see cref="IAttachmentDownloader"/>s (registered
    /// by the adapters), within <see cref="AgentOptions.MaxImageBytes"/> and <see cref="AgentOptions.MaxImagesPerTurn"/>.
    /// To use another transcript store, register it as <see cref="ITranscriptStore"/> before or after this call with
    /// <c>services.Replace(...)</c>/<c>AddSingleton</c>. Extra tools: register more <see cref="IAgentToolProvider"/>s.</remarks>
    public static IServiceCollection AddAgent(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<AgentOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());
        services.AddOptions<JsonlTranscriptOptions>()
            .Bind(section.GetSection(JsonlTranscriptOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AgentDiagnostics>();
        services.TryAddSingleton<ModelRequestLimiter>();
        services.TryAddSingleton<ProviderRateLimit>();
        services.TryAddTransient<ProviderRateLimitHandler>();
        services.TryAddSingleton<ModelClientFactory>();
        services.TryAddSingleton<ITranscriptStore, JsonlTranscriptStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentToolProvider, BuiltInToolProvider>());
        services.TryAddSingleton<InboundMediaReader>();
        services.TryAddSingleton<IAgentRunner, AgentRunner>();

        // Handlers added by ConfigureHttpClientDefaults (e.g. a host-wide standard resilience handler) are removed so that
        // exactly one retry layer talks to the model; per-attempt timeouts live in that pipeline, so no HttpClient timeout.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental.
        // The provider's own limits (ProviderRateLimitHandler) are learned per attempt, inside the retry pipeline.
        var model = services.AddHttpClient(ModelClientFactory.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
        model.AddResilienceHandler(ModelResilience.PipelineName, ModelResilience.Configure);
        model.AddHttpMessageHandler<ProviderRateLimitHandler>();
#pragma warning restore EXTEXP0001
        services.Configure<Polly.Telemetry.TelemetryOptions>(ModelResilience.QuietAttempts);

        return services;
    }
}
