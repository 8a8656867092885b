using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Channels.WeChat;

/// <summary>Maps the WeChat and WeCom callback URLs.</summary>
public static class WeChatEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET</c> (URL verification) and <c>POST</c> (messages and events) on <paramref name="pattern"/>
    /// for the <c>wechat</c> channel. Requires <see cref="WeChatServiceCollectionExtensions.AddWeChatChannel"/>.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The path; default <c>/webhooks/wechat</c>.</param>
    /// <returns>The builder of the two endpoints.</returns>
    /// <exception cref="InvalidOperationException"><c>AddWeChatChannel</c> was not called.</exception>
    public static IEndpointConventionBuilder MapWeChatWebhook(this IEndpointRouteBuilder endpoints, string pattern = "/webhooks/wechat")
        => Map(endpoints, "wechat", pattern, nameof(WeChatServiceCollectionExtensions.AddWeChatChannel));

    /// <summary>Maps <c>GET</c> (URL verification with encrypted <c>echostr</c>) and <c>POST</c> on
    /// <paramref name="pattern"/> for the <c>wecom</c> channel. Requires
    /// <see cref="WeChatServiceCollectionExtensions.AddWeComChannel"/>.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The path; default <c>/webhooks/wecom</c>.</param>
    /// <returns>The builder of the two endpoints.</returns>
    /// <exception cref="InvalidOperationException"><c>AddWeComChannel</c> was not called.</exception>
    public static IEndpointConventionBuilder MapWeComWebhook(this IEndpointRouteBuilder endpoints, string pattern = "/webhooks/wecom")
        => Map(endpoints, "wecom", pattern, nameof(WeChatServiceCollectionExtensions.AddWeComChannel));

    private static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string channel, string pattern, string addMethod)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetKeyedService<WeChatChannelProfile>(channel) is null)
        {
            throw new InvalidOperationException($"Call services.{addMethod}(...) before mapping the {channel} webhook.");
        }

        var group = endpoints.MapGroup(pattern).WithMetadata(new RequestSizeLimitAttribute(WeChatWebhookHandler.MaxBodyBytes));
        group.MapGet(string.Empty, (HttpContext context) =>
            context.RequestServices.GetRequiredKeyedService<WeChatWebhookHandler>(channel).HandleGet(context));
        group.MapPost(string.Empty, (Func<HttpContext, Task<IResult>>)(context =>
            context.RequestServices.GetRequiredKeyedService<WeChatWebhookHandler>(channel).HandlePostAsync(context)));
        return group;
    }
}
