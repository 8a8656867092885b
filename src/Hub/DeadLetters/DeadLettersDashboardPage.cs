using System.Net;
using System.Text;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.DeadLetters;

/// <summary>The Hangfire dashboard page <c>/hangfire/deadletters</c>: dead letters newest first (time, session, channel,
/// reason, text) with a Replay button per row, which posts to <c>/hangfire/deadletters/replay/{id}</c>.</summary>
internal sealed class DeadLettersDashboardPage : RazorPage
{
    /// <summary>Path of the page under the dashboard.</summary>
    public const string Path = "/deadletters";

    private static int _registered;

    /// <summary>Adds the page, its replay command and its menu entry to Hangfire's (process-wide) dashboard routes, once.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0)
        {
            return;
        }

        DashboardRoutes.Routes.AddRazorPage(Path, _ => new DeadLettersDashboardPage());
        DashboardRoutes.Routes.Add(Path + "/replay/(?<id>[^/]+)", new ReplayDispatcher());
        NavigationMenu.Items.Add(page => new MenuItem("Dead letters", page.Url.To(Path)) { Active = page.RequestPath.StartsWith(Path, StringComparison.Ordinal) });
    }

    public override void Execute()
    {
        Layout = new LayoutPage("Dead letters");
        var store = Context.GetHttpContext().RequestServices.GetRequiredService<ISessionStore>();
        var letters = store.ListDeadLettersAsync(200, CancellationToken.None).GetAwaiter().GetResult();
        var html = new StringBuilder();
        html.Append("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Dead letters</h1>");
        html.Append("<p>Messages that failed deterministically after their attempts (Hub:MaxMessageAttempts). Replay puts one back at the head of its session.</p>");
        if (letters.Count == 0)
        {
            html.Append("<div class=\"alert alert-success\">No dead letters.</div>");
        }
        else
        {
            html.Append("<div class=\"table-responsive\"><table class=\"table table-striped deadletters\"><thead><tr><th>Time (UTC)</th><th>Session</th><th>Channel</th><th>Reason</th><th>Text</th><th></th></tr></thead><tbody>");
            foreach (var letter in letters)
            {
                var text = letter.Message.Text.Length > 120 ? letter.Message.Text[..120] + "…" : letter.Message.Text;
                html.Append("<tr><td>").Append(E(letter.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)))
                    .Append("</td><td>").Append(E(letter.SessionKey))
                    .Append("</td><td>").Append(E(letter.Message.Channel))
                    .Append("</td><td>").Append(E(letter.Reason))
                    .Append("</td><td>").Append(E(text))
                    .Append("</td><td><button class=\"btn btn-sm btn-primary\" data-ajax=\"").Append(E(Url.To(Path + "/replay/" + Uri.EscapeDataString(letter.Id))))
                    .Append("\" data-loading-text=\"Replaying…\">Replay</button></td></tr>");
            }

            html.Append("</tbody></table></div>");
        }

        html.Append("</div></div>");
        WriteLiteral(html.ToString());
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    /// <summary>POST only: replays one dead letter (204), 404 when unknown.</summary>
    private sealed class ReplayDispatcher : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            if (!string.Equals(context.Request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = (int)HttpStatusCode.MethodNotAllowed;
                return;
            }

            var services = context.GetHttpContext().RequestServices;
            var id = Uri.UnescapeDataString(context.UriMatch.Groups["id"].Value);
            var replayed = await services.GetRequiredService<ISessionStore>().ReplayDeadLetterAsync(id, context.GetHttpContext().RequestAborted).ConfigureAwait(false);
            if (replayed is not { } r)
            {
                context.Response.StatusCode = (int)HttpStatusCode.NotFound;
                return;
            }

            if (r.NeedsRun)
            {
                services.GetRequiredService<SessionRouter>().ScheduleRun(r.Letter.SessionKey, SessionRouter.LabelOf(r.Letter.Message));
            }

            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
        }
    }
}
