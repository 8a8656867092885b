using System.Globalization;
using System.Net;

namespace OpenClaw.Channels.Hub.Dashboard;

/// <summary>HTML helpers for the hub's dashboard pages (every value is encoded).</summary>
internal static class DashboardHtml
{
    public static string Encode(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);

    public static string Time(DateTimeOffset? time) => time is { } t ? Encode(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)) : "—";

    public static string Label(string status) => status switch
    {
        "Healthy" or "Succeeded" or "ok" => "label-success",
        "Degraded" or "Skipped" => "label-warning",
        "Unhealthy" or "Failed" or "failed" => "label-danger",
        _ => "label-default",
    };
}
