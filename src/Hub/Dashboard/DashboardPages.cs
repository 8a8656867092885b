using Hangfire.Dashboard;

namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary>Adds the hub's pages to the Hangfire dashboard: <b>Channels</b> (<c>/hangfire/channels</c>) and <b>Cron</b>
/// (<c>/hangfire/cron</c>, with <c>POST /hangfire/cron/run/{id}</c>), each in the navigation menu. Hangfire keeps
/// routes and menu items in process-wide lists, so they are added once per process; the pages find their data through
/// the request's services, so several hubs in one process (tests) each show their own.</summary>
public static class DashboardPages
{
    private static readonly Lock Gate = new();
    private static bool _added;

    /// <summary>Adds the routes and menu items (idempotent).</summary>
    public static void Add()
    {
        lock (Gate)
        {
            if (_added)
            {
                return;
            }

            DashboardRoutes.Routes.AddRazorPage(ChannelsPage.Path, _ => new ChannelsPage());
            DashboardRoutes.Routes.AddRazorPage(CronPage.Path, _ => new CronPage());
            DashboardRoutes.Routes.Add(CronRunNowDispatcher.Route, new CronRunNowDispatcher());
            NavigationMenu.Items.Add(page => new MenuItem("Channels", page.Url.To(ChannelsPage.Path)) { Active = page.RequestPath.StartsWith(ChannelsPage.Path, StringComparison.Ordinal) });
            NavigationMenu.Items.Add(page => new MenuItem("Cron", page.Url.To(CronPage.Path)) { Active = page.RequestPath.StartsWith(CronPage.Path, StringComparison.Ordinal) });
            _added = true;
        }
    }
}
