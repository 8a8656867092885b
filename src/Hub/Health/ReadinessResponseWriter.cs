using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenClaw.Channels.Hub.Health;

/// <summary>Writes <c>/readyz</c> as JSON: <c>{"status":"Healthy","totalDurationMs":3.1,"checks":{"store":{"status":
/// "Healthy","reason":null,"durationMs":0.8},…}}</c>, one entry per check (store, job server, each channel's transport,
/// the model when configured). <c>reason</c> is the check's description (for a failing check without one, its
/// exception's message). Status codes stay ASP.NET Core's: 200 for Healthy and Degraded, 503 for Unhealthy.</summary>
internal static class ReadinessResponseWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body, Options);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("totalDurationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            var reason = entry.Description ?? (entry.Status == HealthStatus.Healthy ? null : entry.Exception?.Message);
            if (reason is null)
            {
                json.WriteNull("reason");
            }
            else
            {
                json.WriteString("reason", reason);
            }

            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
