using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WebChat;

/// <summary>Registers the web chat.</summary>
public static class WebChatServiceCollectionExtensions
{
    /// <summary>Registers the web chat channel: <see cref="WebChatOptions"/> bound from <paramref name="configuration"/>
    /// (usually <c>Channels:WebChat</c>) and validated at start, the <see cref="WebChatSender"/>, the
    /// <see cref="WebChatAdapter"/> as <see cref="IChannelAdapter"/>, and a health check named <c>webchat</c> tagged
    /// <c>ready</c>. The hub supplies <see cref="IInboundPipeline"/>,
    /// <see cref="IConversationHistory"/>, <see cref="IChannelBroadcast"/> and logging. Map the page with
    /// <see cref="WebChatEndpointRouteBuilderExtensions.MapWebChat"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The web chat configuration section.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddWebChatChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddChannelOptions<WebChatOptions, WebChatOptionsValidator>(configuration)
            .BindRenamedDuration(configuration, "KeepAliveInterval", nameof(WebChatOptions.KeepAliveIntervalMs), static (o, t) => o.KeepAliveIntervalMs = RenamedDurationKeys.Milliseconds(t));
        services.TryAddSingleton<WebChatAccess>();
        services.TryAddSingleton<WebChatEndpoints>();
        services.TryAddSingleton<WebChatSender>();
        return services.AddChannelAdapter<WebChatAdapter, WebChatHealthCheck>("webchat");
    }
}
