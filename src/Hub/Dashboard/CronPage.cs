using System.Text;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using OpenClaw.Channels.Cron;
using Quartz;
using static OpenClaw.Channels.Hub.Dashboard.DashboardHtml;

namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary>The dashboard's <b>Cron</b> page (<c>/hangfire/cron</c>): every cron job with its schedule, target, next
/// fire time and last runs, and a <i>Run now</i> button (<see cref="CronRunNowDispatcher"/>).</summary>
internal sealed class CronPage : RazorPage
{
    public const string Path = "/cron";

    private const int RunsShown = 5;

    public override void Execute()
    {
        Layout = new LayoutPage("Cron");
        var services = Context.GetHttpContext().RequestServices;
        var cron = services.GetRequiredService<CronJobService>();
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();

        // Hangfire renders dashboard pages synchronously (RazorPage.Execute); the store calls are short reads.
        var jobs = cron.ListAsync(Context.GetHttpContext().RequestAborted).GetAwaiter().GetResult();

        var html = new StringBuilder();
        html.Append("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Cron</h1>");
        if (jobs.Count == 0)
        {
            html.Append("<div class=\"alert alert-info\">No cron jobs. Add them under <code>Cron:Jobs</code>, with <code>POST /api/cron/jobs</code>, or ask the agent.</div>");
        }
        else
        {
            html.Append("<div class=\"table-responsive\"><table class=\"table\" id=\"openclaw-cron\"><thead><tr>");
            html.Append("<th>Job</th><th>Schedule</th><th>Target</th><th>Next fire</th><th>Last runs</th><th></th></tr></thead><tbody>");
            foreach (var job in jobs.OrderBy(j => j.Id, StringComparer.Ordinal))
            {
                var runs = cron.GetRunsAsync(job.Id, RunsShown, Context.GetHttpContext().RequestAborted).GetAwaiter().GetResult();
                html.Append("<tr data-job=\"").Append(Encode(job.Id)).Append("\"><td><strong>").Append(Encode(job.DisplayName)).Append("</strong>");
                if (!job.Enabled)
                {
                    html.Append(" <span class=\"label label-default\">disabled</span>");
                }

                html.Append("<br><small class=\"text-muted\">").Append(Encode(Shorten(job.Prompt, 80))).Append("</small></td>");
                html.Append("<td><code>").Append(Encode(Schedule(job))).Append("</code></td>");
                html.Append("<td>").Append(Encode(job.Target is { } t ? $"{t.Channel} {t.ChatId}" : "—")).Append("</td>");
                html.Append("<td>").Append(job.Enabled ? Time(NextFire(job, now, time)) : "—").Append("</td><td>");
                if (runs.Count == 0)
                {
                    html.Append("<span class=\"text-muted\">none yet</span>");
                }

                foreach (var run in runs)
                {
                    html.Append("<div><span class=\"label ").Append(Label(run.Status)).Append("\">").Append(Encode(run.Status)).Append("</span> ")
                        .Append(Time(run.StartedUtc)).Append(", ").Append(run.DurationMs).Append(" ms")
                        .Append(run.Manual ? " (run now)" : string.Empty)
                        .Append(run.Error is { } error ? ": " + Encode(Shorten(error, 120)) : string.Empty).Append("</div>");
                }

                html.Append("</td><td><button class=\"btn btn-sm btn-primary\" data-ajax=\"")
                    .Append(Encode(Url.To(CronRunNowDispatcher.PathPrefix + Uri.EscapeDataString(job.Id))))
                    .Append("\" data-loading-text=\"Enqueuing…\">Run now</button></td></tr>");
            }

            html.Append("</tbody></table></div>");
        }

        html.Append("</div></div>");
        WriteLiteral(html.ToString());
    }

    private static string Schedule(CronJobDefinition job)
        => job.Cron is { } cron ? $"{cron} ({job.TimeZone})"
            : job.IntervalSeconds is { } seconds ? $"every {seconds} s"
            : job.At is { } at ? "once at " + at.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture)
            : "—";

    private static DateTimeOffset? NextFire(CronJobDefinition job, DateTimeOffset now, TimeProvider time)
        => CronTiming.BuildTrigger(job, new JobKey(job.Id, "dashboard"), now, time)?.GetFireTimeAfter(now.AddSeconds(-1));

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
