using System.Text;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using static OpenClaw.Channels.Hub.Dashboard.DashboardHtml;

namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary>The dashboard's <b>Channels</b> page (<c>/hangfire/channels</c>): per channel its transport state (the
/// readiness check's status and reason), the node reporting it, the platform connections this node owns for it (fenced
/// leases of <see cref="ConnectionOwnership"/>, e.g. Telegram's long poll), the last error, and messages in and out since start.</summary>
internal sealed class ChannelsPage : RazorPage
{
    public const string Path = "/channels";

    /// <summary>A published report younger than this is shown as is; an older one is refreshed by the page.</summary>
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);

    public override void Execute()
    {
        Layout = new LayoutPage("Channels");
        var services = Context.GetHttpContext().RequestServices;
        var board = services.GetRequiredService<ChannelStatusBoard>();
        var node = services.GetRequiredService<IOptions<HubOptions>>().Value.NodeId;
        var channels = services.GetServices<IChannelAdapter>().Select(a => a.Channel).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var owned = services.GetRequiredService<ConnectionOwnership>().Held;
        var last = board.LastReport;
        var time = services.GetRequiredService<TimeProvider>();
        if (last is null || time.GetUtcNow() - last.Value.At > Fresh)
        {
            // Hangfire renders dashboard pages synchronously (RazorPage.Execute); the readiness checks are bounded.
            var health = services.GetRequiredService<HealthCheckService>();
            board.Record(health.CheckHealthAsync(c => c.Tags.Contains("ready"), Context.GetHttpContext().RequestAborted).GetAwaiter().GetResult());
            last = board.LastReport;
        }

        var html = new StringBuilder();
        html.Append("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Channels</h1>");
        html.Append("<p class=\"text-muted\">As node <code>").Append(Encode(node)).Append("</code> sees them. State from the readiness checks ");
        html.Append(last is { } l ? "of " + Time(l.At) : "(not run yet: refresh in a few seconds)").Append("; counts since this node started.</p>");
        if (channels.Count == 0)
        {
            html.Append("<div class=\"alert alert-info\">No channel is configured. Set <code>Channels:Telegram:BotToken</code> (or Slack, Discord, WeChat, WeCom); see README.md.</div>");
        }
        else
        {
            html.Append("<div class=\"table-responsive\"><table class=\"table table-striped\" id=\"openclaw-channels\"><thead><tr>");
            html.Append("<th>Channel</th><th>Transport state</th><th>Node</th><th>Owned here</th><th>Last error</th><th>In (accepted / duplicate / ignored / rejected)</th><th>Out (ok / failed)</th>");
            html.Append("</tr></thead><tbody>");
            foreach (var channel in channels)
            {
                var entry = last?.Report.Entries.TryGetValue(channel, out var e) == true ? e : (HealthReportEntry?)null;
                var status = entry?.Status.ToString() ?? "Unknown";
                var counts = board.Counts(channel);
                long C(string direction, string result) => counts.TryGetValue((direction, result), out var n) ? n : 0;
                var error = board.LastError(channel);
                html.Append("<tr data-channel=\"").Append(Encode(channel)).Append("\"><td><strong>").Append(Encode(channel)).Append("</strong></td>");
                html.Append("<td><span class=\"label ").Append(Label(status)).Append("\">").Append(Encode(status)).Append("</span> ")
                    .Append(Encode(entry?.Description ?? (entry is null ? "no readiness check reported" : string.Empty))).Append("</td>");
                html.Append("<td><code>").Append(Encode(node)).Append("</code></td>");
                var leases = owned.Where(lease => lease.Resource.StartsWith(channel + ":", StringComparison.Ordinal)).ToList();
                html.Append("<td>").Append(leases.Count == 0 ? "—" : string.Join("<br>", leases.Select(lease => "<code>" + Encode(lease.Resource) + "</code> (token " + lease.FencingToken + ")"))).Append("</td>");
                html.Append("<td>").Append(error is { } err ? Time(err.At) + ": " + Encode(err.Reason) : "—").Append("</td>");
                html.Append("<td>").Append(C("in", "accepted")).Append(" / ").Append(C("in", "duplicate")).Append(" / ").Append(C("in", "ignored")).Append(" / ").Append(C("in", "rejected")).Append("</td>");
                html.Append("<td>").Append(C("out", "ok")).Append(" / ").Append(C("out", "failed")).Append("</td></tr>");
            }

            html.Append("</tbody></table></div>");
        }

        html.Append("</div></div>");
        WriteLiteral(html.ToString());
    }
}
