using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenClaw.Channels.Hub.Cron;
using OpenClaw.Channels.Hub.Dashboard;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Hub.DeadLetters;

namespace OpenClaw.Channels.Hub;

/// <summary>Maps the hub's own endpoints.</summary>
public static class HubEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/healthz</c> (process up, no checks), <c>/readyz</c> (checks tagged <c>ready</c>: store, job
    /// server, channel transports), <c>/metrics</c> (Prometheus text format) and the Hangfire dashboard at
    /// <c>/hangfire</c> (local requests only, or HTTP Basic auth when <c>Dashboard:Username</c> and
    /// <c>Dashboard:Password</c> are set), the cron API at <c>/api/cron/jobs</c> (see <see cref="CronEndpointRouteBuilderExtensions.MapCronApi"/>), the transcript
    /// export at <c>/api/transcripts/{sessionKey}</c> (see <see cref="TranscriptEndpointRouteBuilderExtensions.MapTranscriptExport"/>) and the
    /// dead-letter API at <c>/api/deadletters</c> (see <see cref="DeadLetterEndpointRouteBuilderExtensions.MapDeadLetterApi"/>).</summary>
    /// <param name="app">The application.</param>
    /// <returns><paramref name="app"/>.</returns>
    public static WebApplication MapHub(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        var storage = app.Services.GetRequiredService<JobStorage>();
        var dashboard = app.Services.GetRequiredService<DashboardAccessOptions>();
        DeadLettersDashboardPage.Register();
        app.MapHangfireDashboard(
            "/hangfire",
            new Hangfire.DashboardOptions
            {
                Authorization = [new DashboardAuthorizationFilter(dashboard)],
                DashboardTitle = "OpenClaw.Channels jobs",
                DisplayStorageConnectionString = false,
            },
            storage);
        app.MapCronApi();
        app.MapTranscriptExport();
        app.MapDeadLetterApi();
        return app;
    }
}
