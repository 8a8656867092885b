using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Slack;

/// <summary>Registers the Slack adapter.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <summary>Registers the Slack channel: <see cref="SlackOptions"/> bound from <paramref name="configuration"/>
    /// (usually <c>Channels:Slack</c>) and validated at start, the <see cref="SlackSender"/>, the normalizer, the
    /// <see cref="SlackChannelAdapter"/> as <see cref="IChannelAdapter"/>, the Socket Mode worker when
    /// <c>Mode</c> is <c>SocketMode</c>, and a health check named <c>slack</c> tagged <c>ready</c>.
    /// The hub supplies <see cref="IInboundPipeline"/>, <see cref="IChannelStateStore"/> and logging.
    /// Map the Events API endpoint with <see cref="SlackEndpointRouteBuilderExtensions.MapSlackEvents"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The Slack configuration section.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddSlackChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SlackOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SlackApiClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));

        services.TryAddSingleton<ISharedRateLimiter>(sp => new LocalRateLimiter(sp.GetService<TimeProvider>())); // the hub registers the cluster's
        services.TryAddSingleton<SlackApiClient>();
        services.TryAddSingleton<SlackBotIdentity>();
        services.TryAddSingleton<SlackUserDirectory>();
        services.TryAddSingleton<SlackNormalizer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAttachmentDownloader, SlackAttachmentDownloader>());
        services.TryAddSingleton<SlackInboundProcessor>();
        services.TryAddSingleton<SlackEventsEndpoint>();
        services.TryAddSingleton<SlackInteractivityEndpoint>();
        services.TryAddSingleton<SlackSocketModeState>();
        services.TryAddSingleton(sp => ConnectionOwnership.Local(sp.GetService<TimeProvider>())); // the hub registers the cluster's
        services.TryAddSingleton(sp => new SlackSender(
            sp.GetRequiredService<SlackApiClient>(),
            sp.GetRequiredService<IChannelStateStore>(),
            sp.GetRequiredService<IOptions<SlackOptions>>()));
        services.TryAddSingleton<SlackChannelAdapter>();
        services.AddSingleton<IChannelAdapter>(sp => sp.GetRequiredService<SlackChannelAdapter>());

        if (configuration.GetValue<SlackMode>(nameof(SlackOptions.Mode)) == SlackMode.SocketMode)
        {
            services.AddHostedService<SlackSocketModeWorker>();
        }

        services.AddHealthChecks().AddCheck<SlackHealthCheck>("slack", tags: ["ready"]);
        return services;
    }
}
