using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenClaw.Channels.Adapters;
using OpenClaw.Channels.Discord;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Discord interactions endpoint.</summary>
public static class DiscordEndpointRouteBuilderExtensions
{
    /// <summary>The default route, <c>/webhooks/discord/interactions</c>.</summary>
    public const string DefaultPattern = "/webhooks/discord/interactions";

    /// <summary>Maps <c>POST {pattern}</c> as the application's Interactions Endpoint URL: 401 for a bad or missing
    /// <c>X-Signature-Ed25519</c>, PONG for PING, and for slash commands <c>{"type":5}</c> (deferred) once the hub's
    /// pipeline accepted the message; 400 for malformed payloads, 500 when the pipeline throws.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route; default <see cref="DefaultPattern"/>.</param>
    /// <returns>The endpoint builder, e.g. to add metadata.</returns>
    /// <exception cref="InvalidOperationException"><c>AddDiscordChannel</c> was not called.</exception>
    public static RouteHandlerBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
        => endpoints.MapChannelWebhook<DiscordInteractionsHandler>(
            pattern, "DiscordInteractions", DiscordInteractionsHandler.MaxBodyBytes, Registration, nameof(MapDiscordInteractions), static (handler, context) => handler.HandleAsync(context));

    private const string Registration = "AddDiscordChannel(configuration.GetSection(\"Channels:Discord\"))";
}
