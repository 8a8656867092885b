using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Hub.Dashboard;
using OpenClaw.Channels.Hub.DeadLetters;
using OpenClaw.Channels.Hub.Health;
using OpenClaw.Channels.Hub.Security;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub;

/// <summary>Maps the hub's own endpoints.</summary>
public static class HubEndpointRouteBuilderExtensions
{
    /// <summary>Adds forwarded headers (with <c>Hub:KnownProxies</c>), authentication and authorization to the
    /// pipeline, then maps <c>/healthz</c> (process up, no checks), <c>/readyz</c> (JSON, one entry per check tagged <c>ready</c>:
    /// store, job server, channel transports, the model when configured), <c>/metrics</c> (Prometheus text format, policy <see cref="HubAuthorization.MetricsPolicy"/>) and the Hangfire dashboard at
    /// <c>/hangfire</c> (policy <see cref="HubAuthorization.DashboardPolicy"/>: local requests only, or HTTP Basic
    /// auth when <c>Dashboard:Username</c> and <c>Dashboard:Password</c> are set), the cron API at <c>/api/cron/jobs</c> (policy <see cref="HubAuthorization.AdminPolicy"/>; see <see cref="CronEndpointRouteBuilderExtensions.MapCronApi"/>), the transcript
    /// export at <c>/api/transcripts/{sessionKey}</c> (see <see cref="TranscriptEndpointRouteBuilderExtensions.MapTranscriptExport"/>) and the
    /// dead-letter API at <c>/api/deadletters</c> (see <see cref="DeadLetterEndpointRouteBuilderExtensions.MapDeadLetterApi"/>).</summary>
    /// <param name="app">The application.</param>
    /// <returns><paramref name="app"/>.</returns>
    public static WebApplication MapHub(this WebApplication app)
    {
        app.UseHubSecurity(app.Services.GetRequiredService<IOptions<HubOptions>>().Value);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = ReadinessResponseWriter.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(HubAuthorization.MetricsPolicy);
        var storage = app.Services.GetRequiredService<JobStorage>();
        DashboardPages.Add();
        DeadLettersDashboardPage.Register();
        app.MapHangfireDashboard(
            "/hangfire",
            new Hangfire.DashboardOptions
            {
                // Access is the endpoint's authorization policy (below), not a Hangfire filter.
                Authorization = [],
                AsyncAuthorization = [],
                DashboardTitle = "OpenClaw.Channels jobs",
                DisplayStorageConnectionString = false,
            },
            storage)
            .RequireAuthorization(HubAuthorization.DashboardPolicy);
        app.MapCronApi(HubAuthorization.AdminPolicy);
        app.MapTranscriptExport();
        app.MapDeadLetterApi();
        return app;
    }
}
