using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Maps the Slack Events API, slash command and interactivity endpoints.</summary>
public static class SlackEndpointRouteBuilderExtensions
{
    /// <summary>The default route, <c>/webhooks/slack/events</c>.</summary>
    public const string DefaultPattern = "/webhooks/slack/events";

    /// <summary>Maps <c>POST {pattern}</c> for Slack's Events API: 401 on a bad, missing or stale signature (nothing
    /// handed to the pipeline), the challenge for <c>url_verification</c>, 200 after the pipeline accepted an event,
    /// 400 for a malformed body, 500 when the pipeline failed (Slack then redelivers). Beside it (same parent path, by
    /// default <c>/webhooks/slack/commands</c> and <c>/webhooks/slack/interactive</c>) it maps the slash command request
    /// URL (signed like events; acked at once, answered through <c>response_url</c>) and the interactivity request URL
    /// (acked with an empty 200).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">Route pattern; default <see cref="DefaultPattern"/>.</param>
    /// <returns>The endpoint builder of the events route.</returns>
    /// <exception cref="InvalidOperationException"><c>AddSlackChannel</c> was not called.</exception>
    public static RouteHandlerBuilder MapSlackEvents(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        const string registration = "AddSlackChannel(configuration.GetSection(\"Channels:Slack\"))";
        endpoints.RequireChannelService<SlackEventsEndpoint>(registration, nameof(MapSlackEvents));
        var maxBodyBytes = endpoints.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value.MaxBodyBytes;
        var parent = pattern.EndsWith("/events", StringComparison.Ordinal) ? pattern[..^"/events".Length] : pattern.TrimEnd('/');
        endpoints.MapChannelWebhook<SlackInteractivityEndpoint>(
            parent + "/commands", "SlackCommands", maxBodyBytes, registration, nameof(MapSlackEvents), static (endpoint, context) => endpoint.HandleCommandAsync(context));
        endpoints.MapChannelWebhook<SlackInteractivityEndpoint>(
            parent + "/interactive", "SlackInteractive", maxBodyBytes, registration, nameof(MapSlackEvents), static (endpoint, context) => endpoint.HandleInteractiveAsync(context));
        return endpoints.MapChannelWebhook<SlackEventsEndpoint>(
            pattern, "SlackEvents", maxBodyBytes, registration, nameof(MapSlackEvents), static (endpoint, context) => endpoint.HandleAsync(context));
    }
}
