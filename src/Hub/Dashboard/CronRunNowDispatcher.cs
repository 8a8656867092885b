using System.Net;
using Hangfire.Dashboard;
using OpenClaw.Channels.Cron;

namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary><c>POST /hangfire/cron/run/{id}</c>: enqueues a run of the cron job now (as <c>POST
/// /api/cron/jobs/{id}/run</c> does). 204 when enqueued, 404 for an unknown job, 405 for another method, 403 when the
/// dashboard is read-only. The dashboard's own access policy and antiforgery check run before it.</summary>
internal sealed class CronRunNowDispatcher : IDashboardDispatcher
{
    public const string PathPrefix = "/cron/run/";

    public const string Route = "/cron/run/(?<id>[^/]+)";

    public async Task Dispatch(DashboardContext context)
    {
        if (!string.Equals(context.Request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = (int)HttpStatusCode.MethodNotAllowed;
            return;
        }

        if (context.IsReadOnly)
        {
            context.Response.StatusCode = (int)HttpStatusCode.Forbidden;
            return;
        }

        var http = context.GetHttpContext();
        var id = Uri.UnescapeDataString(context.UriMatch.Groups["id"].Value);
        var service = http.RequestServices.GetRequiredService<CronJobService>();
        var enqueued = await service.RunNowAsync(id, http.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = enqueued is null ? (int)HttpStatusCode.NotFound : (int)HttpStatusCode.NoContent;
    }
}
