using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WeChat;

/// <summary>Registers the WeChat Official Account (<c>wechat</c>) and WeCom (<c>wecom</c>) channels.</summary>
public static class WeChatServiceCollectionExtensions
{
    /// <summary>Adds the <c>wechat</c> channel: <see cref="WeChatOptions"/> bound from <paramref name="section"/>
    /// (usually <c>Channels:WeChat</c>, validated at start), its <see cref="IChannelAdapter"/> and sender, the
    /// passive-reply hand-over (<see cref="IPassiveReplyHandover"/>, in process unless the hub registers its own) and token cache, and the health check <c>wechat</c> tagged <c>ready</c>.
    /// Map the callback with <see cref="WeChatEndpointRouteBuilderExtensions.MapWeChatWebhook"/>. The hub supplies
    /// <see cref="IInboundPipeline"/>, <see cref="IChannelStateStore"/> and <see cref="IHttpClientFactory"/> support.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddWeChatChannel(this IServiceCollection services, IConfiguration section)
        => Add<WeChatOptions>(services, section, "wechat", WeChatChannelProfile.From);

    /// <summary>Adds the <c>wecom</c> channel: <see cref="WeComOptions"/> bound from <paramref name="section"/>
    /// (usually <c>Channels:WeCom</c>, validated at start), its <see cref="IChannelAdapter"/> and sender, and the
    /// health check <c>wecom</c> tagged <c>ready</c>. Map the callback with
    /// <see cref="WeChatEndpointRouteBuilderExtensions.MapWeComWebhook"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddWeComChannel(this IServiceCollection services, IConfiguration section)
        => Add<WeComOptions>(services, section, "wecom", WeChatChannelProfile.From);

    private static IServiceCollection Add<TOptions>(IServiceCollection services, IConfiguration section, string channel, Func<TOptions, WeChatChannelProfile> profile)
        where TOptions : WeChatOptionsBase
    {
        services.AddChannelOptions<TOptions>(section);
        services.AddPublicMediaHttpClient(channel, section.GetValue<bool>(nameof(WeChatOptionsBase.AllowPrivateMediaHosts)));
        AddCommon(services);
        AddChannel<TOptions>(services, channel, sp => profile(sp.GetRequiredService<IOptions<TOptions>>().Value));
        return services;
    }

    private static void AddCommon(IServiceCollection services)
    {
        services.TryAddSingleton<IPassiveReplyHandover>(sp => new LocalPassiveReplyHandover(sp.GetRequiredService<TimeProvider>())); // the hub registers the cluster's
        services.TryAddSingleton<WeChatNormalizer>();
        services.TryAddSingleton<WeChatAccessTokenCache>();
        // The access token is a query parameter: no request logging on this client.
        services.AddHttpClient(WeChatChannelProfile.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
    }

    private static void AddChannel<TOptions>(IServiceCollection services, string channel, Func<IServiceProvider, WeChatChannelProfile> profile)
        where TOptions : WeChatOptionsBase
    {
        services.AddKeyedSingleton(channel, (sp, _) => profile(sp));
        services.AddKeyedSingleton(channel, (sp, key) => new WeChatSender(
            sp.GetRequiredKeyedService<WeChatChannelProfile>(key),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<WeChatAccessTokenCache>(),
            sp.GetRequiredService<IPassiveReplyHandover>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WeChatSender>>()));
        services.AddKeyedSingleton(channel, (sp, key) => new WeChatWebhookHandler(
            sp.GetRequiredKeyedService<WeChatChannelProfile>(key),
            sp.GetService<IInboundPipeline>() ?? throw new InvalidOperationException(
                "No IInboundPipeline is registered: the hub (or a test) must register one before the WeChat webhook is used."),
            sp.GetRequiredService<WeChatNormalizer>(),
            sp.GetRequiredService<IPassiveReplyHandover>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WeChatWebhookHandler>>()));
        services.AddSingleton<IAttachmentDownloader>(sp => new WeChatAttachmentDownloader(
            sp.GetRequiredKeyedService<WeChatChannelProfile>(channel),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<WeChatAccessTokenCache>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelAdapter, WeChatAdapter<TOptions>>(sp => new WeChatAdapter<TOptions>(
            sp.GetRequiredKeyedService<WeChatChannelProfile>(channel),
            sp.GetRequiredKeyedService<WeChatSender>(channel))));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            channel,
            sp => new WeChatHealthCheck(
                sp.GetRequiredKeyedService<WeChatChannelProfile>(channel),
                sp.GetRequiredService<WeChatAccessTokenCache>(),
                sp.GetRequiredService<IHttpClientFactory>()),
            HealthStatus.Degraded,
            ["ready"]));
    }
}
