using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Telegram;

/// <summary>Endpoint mapping of the Telegram channel.</summary>
public static class TelegramEndpointRouteBuilderExtensions
{
    /// <summary>The default webhook route, <c>/webhooks/telegram</c>.</summary>
    public const string DefaultPattern = "/webhooks/telegram";

    /// <summary>Maps <c>POST {pattern}</c> for Telegram webhook updates (core.telegram.org/bots/api#setwebhook).
    /// Answers 200 after the pipeline accepted (or when the update type is ignored), 401 for a missing or wrong
    /// <c>X-Telegram-Bot-Api-Secret-Token</c>, 400 for a malformed body, 5xx when the update must be redelivered.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route; default <c>/webhooks/telegram</c>.</param>
    /// <returns>The endpoint's convention builder (e.g. to add rate limiting or host filters).</returns>
    /// <exception cref="InvalidOperationException"><c>AddTelegramChannel</c> was not called.</exception>
    public static RouteHandlerBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
        => endpoints.MapChannelWebhook<TelegramWebhookEndpoint>(
            pattern, "TelegramWebhook", TelegramWebhookEndpoint.MaxBodyBytes, Registration, nameof(MapTelegramWebhook), static (endpoint, context) => endpoint.HandleAsync(context));

    private const string Registration = "AddTelegramChannel(configuration.GetSection(\"Channels:Telegram\"))";
}
