using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Channels.Adapters;

/// <summary>How every adapter maps a platform's webhook: fail fast when the channel's services are missing, then
/// <c>POST {pattern}</c> with a name, without antiforgery (platforms send no token) and with the body limit as endpoint
/// metadata (<see cref="RequestSizeLimitAttribute"/>; read the body with <see cref="RequestBody.ReadAsync"/>).</summary>
public static class WebhookEndpointRouteBuilderExtensions
{
    /// <summary>Throws when <typeparamref name="TService"/> (a service the channel's <c>Add…Channel</c> registers) is
    /// missing, naming the call to add.</summary>
    /// <typeparam name="TService">A service of the channel, e.g. its webhook handler.</typeparam>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="registration">The registration call, e.g.
    /// <c>AddSlackChannel(configuration.GetSection("Channels:Slack"))</c>.</param>
    /// <param name="mapMethod">The mapping method, e.g. <c>MapSlackEvents</c>.</param>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is not registered.</exception>
    public static void RequireChannelService<TService>(this IEndpointRouteBuilder endpoints, string registration, string mapMethod)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(TService)) != true)
        {
            throw new InvalidOperationException($"Call services.{registration} before {mapMethod}().");
        }
    }

    /// <summary>Maps <c>POST {pattern}</c> to <paramref name="handler"/> as a webhook.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route.</param>
    /// <param name="handler">The route handler (usually a static lambda taking the <see cref="HttpContext"/> and the
    /// channel's handler service).</param>
    /// <param name="name">The endpoint name.</param>
    /// <param name="maxBodyBytes">Largest accepted body, in bytes; the server answers a larger one while it is read.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static RouteHandlerBuilder MapWebhookPost(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler, string name, long maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost(pattern, handler)
            .WithName(name)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(maxBodyBytes));
    }

    /// <summary>Maps a channel's webhook in one step: <see cref="RequireChannelService{TService}"/> for
    /// <typeparamref name="THandler"/>, then <see cref="MapWebhookPost"/> with a route handler that resolves
    /// <typeparamref name="THandler"/> from the request's services and calls <paramref name="handle"/>.</summary>
    /// <typeparam name="THandler">The channel's webhook handler, registered by its <c>Add…Channel</c>.</typeparam>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route.</param>
    /// <param name="name">The endpoint name.</param>
    /// <param name="maxBodyBytes">Largest accepted body, in bytes.</param>
    /// <param name="registration">The registration call named when <typeparamref name="THandler"/> is missing.</param>
    /// <param name="mapMethod">The mapping method named when <typeparamref name="THandler"/> is missing.</param>
    /// <param name="handle">Handles one request, e.g. <c>static (h, context) => h.HandleAsync(context)</c>.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="THandler"/> is not registered.</exception>
    public static RouteHandlerBuilder MapChannelWebhook<THandler>(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        string name,
        long maxBodyBytes,
        string registration,
        string mapMethod,
        Func<THandler, HttpContext, Task<IResult>> handle)
        where THandler : notnull
    {
        ArgumentNullException.ThrowIfNull(handle);
        endpoints.RequireChannelService<THandler>(registration, mapMethod);
        return endpoints.MapWebhookPost(
            pattern,
            (Func<HttpContext, Task<IResult>>)(context => handle(context.RequestServices.GetRequiredService<THandler>(), context)),
            name,
            maxBodyBytes);
    }
}
