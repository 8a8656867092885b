using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using OpenClaw.Channels.Hub.Dashboard;

namespace OpenClaw.Channels.Hub.Security;

/// <summary>Registers the hub's authentication schemes, authorization policies and forwarded-headers handling.</summary>
public static class HubSecurityServiceCollectionExtensions
{
    /// <summary>Adds the <see cref="HubAuthorization.AdminTokenScheme"/> and <see cref="HubAuthorization.BasicScheme"/>
    /// schemes and the <see cref="HubAuthorization.AdminPolicy"/>, <see cref="HubAuthorization.DashboardPolicy"/> and
    /// <see cref="HubAuthorization.MetricsPolicy"/> policies, and configures <see cref="ForwardedHeadersOptions"/> from <see cref="HubOptions.KnownProxies"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="hub">The bound <c>Hub</c> section (admin token, known proxies).</param>
    /// <param name="dashboard">The bound <c>Dashboard</c> section (Basic credentials).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="FormatException">An entry of <c>Hub:KnownProxies</c> is neither an IP address nor a CIDR network.</exception>
    public static IServiceCollection AddHubSecurity(this IServiceCollection services, HubOptions hub, DashboardAccessOptions dashboard)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(HubAuthorization.AdminTokenScheme, null)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(HubAuthorization.BasicScheme, null);
        services.AddSingleton<IAuthorizationHandler, LocalRequestRequirement>();
        services.AddAuthorizationBuilder()
            .AddPolicy(HubAuthorization.AdminPolicy, policy =>
            {
                policy.AddAuthenticationSchemes(HubAuthorization.AdminTokenScheme);
                _ = string.IsNullOrEmpty(hub.AdminToken)
                    ? policy.AddRequirements(new LocalRequestRequirement())
                    : policy.RequireAuthenticatedUser();
            })
            .AddPolicy(HubAuthorization.DashboardPolicy, policy =>
            {
                policy.AddAuthenticationSchemes(HubAuthorization.BasicScheme);
                _ = dashboard.HasCredentials
                    ? policy.RequireAuthenticatedUser()
                    : policy.AddRequirements(new LocalRequestRequirement());
            })
            .AddPolicy(HubAuthorization.MetricsPolicy, policy =>
            {
                policy.AddAuthenticationSchemes(HubAuthorization.BasicScheme, HubAuthorization.AdminTokenScheme);
                _ = dashboard.HasCredentials || !string.IsNullOrEmpty(hub.AdminToken)
                    ? policy.RequireAuthenticatedUser()
                    : policy.AddRequirements(new LocalRequestRequirement());
            });

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var entry in hub.KnownProxies)
            {
                if (entry.Contains('/', StringComparison.Ordinal))
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
                else
                {
                    options.KnownProxies.Add(IPAddress.Parse(entry));
                }
            }

            // One proxy hop per known proxy in front; nginx appends the client to X-Forwarded-For.
            options.ForwardLimit = Math.Max(1, hub.KnownProxies.Count);
        });
        return services;
    }

    /// <summary>Adds the forwarded-headers middleware (only when <see cref="HubOptions.KnownProxies"/> is set), then
    /// authentication and authorization, in that order, so policies see the client's own address.</summary>
    /// <param name="app">The application.</param>
    /// <param name="hub">The bound <c>Hub</c> section.</param>
    /// <returns><paramref name="app"/>.</returns>
    public static IApplicationBuilder UseHubSecurity(this IApplicationBuilder app, HubOptions hub)
    {
        if (hub.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
