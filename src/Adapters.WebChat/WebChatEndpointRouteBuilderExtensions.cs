using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.WebChat;

/// <summary>Maps the web chat page and its API.</summary>
public static class WebChatEndpointRouteBuilderExtensions
{
    /// <summary>Maps the web chat: <c>GET /</c> (the page), <c>GET /webchat/app.js</c> and <c>/webchat/app.css</c>,
    /// <c>GET /webchat/api/history</c>, <c>POST /webchat/api/messages</c> and <c>GET /webchat/api/events</c> (Server-Sent
    /// Events). Every route answers local requests only (403 otherwise) unless <see cref="WebChatOptions.AllowRemote"/> is
    /// set, then a remote request needs the access token (401 otherwise).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The route group of the API, for more conventions.</returns>
    /// <exception cref="InvalidOperationException"><c>AddWebChatChannel</c> was not called.</exception>
    public static RouteGroupBuilder MapWebChat(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(WebChatEndpoints)) != true)
        {
            throw new InvalidOperationException("Call services.AddWebChatChannel(configuration.GetSection(\"Channels:WebChat\")) before MapWebChat().");
        }

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<WebChatOptions>>().Value;
        endpoints.MapGet("/", static (HttpContext context, WebChatEndpoints chat) => chat.PageAsync(context)).WithName("WebChatPage");
        endpoints.MapGet("/webchat/{file}", static (HttpContext context, string file, WebChatEndpoints chat) => chat.StaticAsync(context, file));

        var api = endpoints.MapGroup("/webchat/api");
        api.MapGet("/history", static (HttpContext context, WebChatEndpoints chat) => chat.HistoryAsync(context));
        api.MapPost("/messages", static (HttpContext context, WebChatEndpoints chat) => chat.PostAsync(context))
            .DisableAntiforgery()

            // UTF-8 takes up to 3 bytes per UTF-16 character, JSON escaping up to 6; the envelope is small.
            .WithMetadata(new RequestSizeLimitAttribute((options.MaxMessageLength * 6L) + 1024));
        api.MapGet("/events", static (HttpContext context, WebChatEndpoints chat) => chat.EventsAsync(context));
        return api;
    }
}
