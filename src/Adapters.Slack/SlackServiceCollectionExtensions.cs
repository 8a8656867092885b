using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Registers the Slack adapter.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <summary>Registers the Slack channel: <see cref="SlackOptions"/> bound from <paramref name="configuration"/>
    /// (usually <c>Channels:Slack</c>) and validated at start, the <see cref="SlackSender"/>, the normalizer, the
    /// <see cref="SlackAdapter"/> as <see cref="IChannelAdapter"/>, the Socket Mode worker when
    /// <c>Mode</c> is <c>SocketMode</c>, and a health check named <c>slack</c> tagged <c>ready</c>.
    /// The hub supplies <see cref="IInboundPipeline"/>, <see cref="IChannelStateStore"/> and logging.
    /// Map the Events API endpoint with <see cref="SlackEndpointRouteBuilderExtensions.MapSlackEvents"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The Slack configuration section.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddSlackChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddChannelOptions<SlackOptions, SlackOptionsValidator>(configuration)
            .BindRenamedDuration(configuration, "MaxRetryAfter", nameof(SlackOptions.MaxRetryAfterSeconds), static (o, t) => o.MaxRetryAfterSeconds = RenamedDurationKeys.Seconds(t))
            .BindRenamedDuration(configuration, "SignatureTolerance", nameof(SlackOptions.SignatureToleranceSeconds), static (o, t) => o.SignatureToleranceSeconds = RenamedDurationKeys.Seconds(t))
            .BindRenamedDuration(configuration, "ThreadMemory", nameof(SlackOptions.ThreadMemorySeconds), static (o, t) => o.ThreadMemorySeconds = RenamedDurationKeys.Seconds(t))
            .BindRenamedDuration(configuration, "ReconnectDelay", nameof(SlackOptions.ReconnectDelayMs), static (o, t) => o.ReconnectDelayMs = RenamedDurationKeys.Milliseconds(t))
            .BindRenamedDuration(configuration, "MaxReconnectDelay", nameof(SlackOptions.MaxReconnectDelayMs), static (o, t) => o.MaxReconnectDelayMs = RenamedDurationKeys.Milliseconds(t));
        services.AddHttpClient(SlackApiClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddPublicMediaHttpClient("slack", configuration.GetValue<bool>(nameof(SlackOptions.AllowPrivateMediaHosts)));

        services.AddLocalChannelDefaults(); // the hub registers the cluster's rate limiter and connection ownership
        services.TryAddSingleton<SlackApiClient>();
        services.TryAddSingleton<SlackBotIdentity>();
        services.TryAddSingleton<SlackUserDirectory>();
        services.TryAddSingleton<SlackNormalizer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAttachmentDownloader, SlackAttachmentDownloader>());
        services.TryAddSingleton<SlackInboundProcessor>();
        services.TryAddSingleton<SlackEventsEndpoint>();
        services.TryAddSingleton<SlackInteractivityEndpoint>();
        services.TryAddSingleton<SlackSocketModeState>();
        services.TryAddSingleton(sp => new SlackSender(
            sp.GetRequiredService<SlackApiClient>(),
            sp.GetRequiredService<IChannelStateStore>(),
            sp.GetRequiredService<IOptions<SlackOptions>>()));

        if (configuration.GetValue<SlackMode>(nameof(SlackOptions.Mode)) == SlackMode.SocketMode)
        {
            services.AddHostedService<SlackSocketModeWorker>();
        }

        return services.AddChannelAdapter<SlackAdapter, SlackHealthCheck>("slack");
    }
}
