using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Telegram;

/// <summary>DI entry point of the Telegram channel.</summary>
public static class TelegramServiceCollectionExtensions
{
    /// <summary>Registers the Telegram channel: <see cref="TelegramOptions"/> bound from <paramref name="section"/>
    /// (usually <c>Channels:Telegram</c>) and validated on start, the named HttpClient, <see cref="TelegramNormalizer"/>,
    /// <see cref="TelegramSender"/>, <see cref="TelegramAdapter"/> as <see cref="IChannelAdapter"/> (singletons), the
    /// transport worker for the configured <see cref="TelegramOptions.Mode"/> (the <c>getUpdates</c> poller, or the
    /// <c>setWebhook</c> registrar; map the endpoint with <see cref="TelegramEndpointRouteBuilderExtensions.MapTelegramWebhook"/>)
    /// and the health check <c>telegram</c> tagged <c>ready</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section holding <see cref="TelegramOptions"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>When the section sets <c>Enabled = false</c> nothing is registered. The hub supplies <see cref="IInboundPipeline"/>, <see cref="IChannelStateStore"/> and logging.</remarks>
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        if (section.GetValue<bool?>(nameof(TelegramOptions.Enabled)) == false)
        {
            return services;
        }

        services.AddChannelOptions<TelegramOptions, TelegramOptionsValidator>(section)
            .BindRenamedDuration(section, "ErrorBackoffInitial", nameof(TelegramOptions.ErrorBackoffInitialMs), static (o, t) => o.ErrorBackoffInitialMs = RenamedDurationKeys.Milliseconds(t))
            .BindRenamedDuration(section, "ErrorBackoffMax", nameof(TelegramOptions.ErrorBackoffMaxMs), static (o, t) => o.ErrorBackoffMaxMs = RenamedDurationKeys.Milliseconds(t))
            .BindRenamedDuration(section, "ConflictBackoff", nameof(TelegramOptions.ConflictBackoffMs), static (o, t) => o.ConflictBackoffMs = RenamedDurationKeys.Milliseconds(t));

        // The bot token is part of every Bot API URL path: keep it out of HttpClient logs.
        services.AddHttpClient(TelegramBotClientFactory.HttpClientName)
            .RemoveAllLoggers()
            .ConfigureHttpClient((sp, client) =>
            {
                // A long poll holds the request for PollingTimeoutSeconds; leave headroom before HttpClient gives up.
                var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
                client.Timeout = TimeSpan.FromSeconds(o.PollingTimeoutSeconds + 30);
            });

        services.AddLocalChannelDefaults(); // the hub registers the cluster's rate limiter and connection ownership
        services.TryAddSingleton<TelegramBotClientFactory>();
        services.TryAddSingleton<TelegramTransportState>();
        services.TryAddSingleton<TelegramBotIdentity>();
        services.TryAddSingleton<TelegramNormalizer>();
        services.TryAddSingleton<TelegramSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAttachmentDownloader, TelegramAttachmentDownloader>());
        services.TryAddSingleton<TelegramWebhookEndpoint>();

        var mode = section.GetValue<TelegramMode?>(nameof(TelegramOptions.Mode)) ?? TelegramMode.Polling;
        if (mode == TelegramMode.Webhook)
        {
            services.AddHostedService<TelegramWebhookRegistrar>();
        }
        else
        {
            services.AddHostedService<TelegramPoller>();
        }

        if (section.GetValue<bool?>(nameof(TelegramOptions.RegisterCommands)) != false)
        {
            services.AddHostedService<TelegramCommandsRegistrar>();
        }

        return services.AddChannelAdapter<TelegramAdapter, TelegramHealthCheck>("telegram");
    }
}
