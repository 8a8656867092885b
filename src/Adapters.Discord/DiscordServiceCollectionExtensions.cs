using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels;
using OpenClaw.Channels.Adapters;
using OpenClaw.Channels.Discord;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Discord adapter.</summary>
public static class DiscordServiceCollectionExtensions
{
    /// <summary>Adds the Discord channel: <see cref="DiscordOptions"/> bound from <paramref name="section"/> (usually
    /// <c>Channels:Discord</c>) and validated at start, the REST client (named <see cref="IHttpClientFactory"/> client),
    /// <see cref="DiscordNormalizer"/>, <see cref="DiscordSender"/>, <see cref="DiscordAdapter"/> as
    /// <see cref="OpenClaw.Channels.IChannelAdapter"/>, the gateway worker (a hosted service that does nothing when the
    /// gateway is disabled), the slash command registrar (a hosted service; <see cref="DiscordOptions.RegisterCommands"/>),
    /// the interactions handler for <c>MapDiscordInteractions</c>, and the health check
    /// <c>discord</c> tagged <c>ready</c>. The host supplies <see cref="OpenClaw.Channels.IInboundPipeline"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section with the <see cref="DiscordOptions"/> keys.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddDiscordChannel(this IServiceCollection services, IConfiguration section)
    {
        services.AddChannelOptions<DiscordOptions>(section)
            .Validate(o => o.InvalidSessionMinDelayMs <= o.InvalidSessionMaxDelayMs, "InvalidSessionMinDelayMs must not exceed InvalidSessionMaxDelayMs.")
            .Validate(o => !o.GatewayEnabled || !string.IsNullOrEmpty(o.BotToken), "EnableGateway requires BotToken.")
            .Validate(o => o.AllowedMentions.All(p => p is "users" or "roles" or "everyone"), "AllowedMentions entries must be users, roles or everyone.");
        services.AddPublicMediaHttpClient("discord", section.GetValue<bool>(nameof(DiscordOptions.AllowPrivateMediaHosts)));
        services.AddHttpClient(DiscordRestClient.HttpClientName, (sp, http) =>
        {
            var baseUrl = sp.GetRequiredService<IOptions<DiscordOptions>>().Value.ApiBaseUrl.TrimEnd('/') + "/";
            http.BaseAddress = new Uri(baseUrl);
            http.Timeout = TimeSpan.FromSeconds(30);
        }).RemoveAllLoggers(); // interaction webhook tokens are part of URL paths: keep them out of HttpClient logs

        services.AddLocalChannelDefaults(); // the hub registers the cluster's rate limiter and connection ownership
        services.TryAddSingleton<DiscordRateLimiter>();
        services.TryAddSingleton<DiscordRestClient>();
        services.TryAddSingleton<DiscordNormalizer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<OpenClaw.Channels.IAttachmentDownloader, DiscordAttachmentDownloader>());
        services.TryAddSingleton(sp => new DiscordSender(
            sp.GetRequiredService<DiscordRestClient>(),
            sp.GetRequiredService<IOptions<DiscordOptions>>(),
            sp.GetRequiredService<ILogger<DiscordSender>>()));
        services.TryAddSingleton<DiscordSignatureVerifier>();
        services.TryAddSingleton<DiscordInteractionsHandler>();
        services.TryAddSingleton<DiscordGatewayState>();
        services.AddHostedService<DiscordGatewayClient>();
        services.AddHostedService<DiscordCommandRegistrar>();
        return services.AddChannelAdapter<DiscordAdapter, DiscordHealthCheck>("discord");
    }
}
