using System.Text.Json;
using OpenClaw.Channels.Cron;

namespace OpenClaw.Channels.Tests.Cron;

/// <summary>The hub's cron JSON options (camel case, string enums), for request bodies and reading answers.</summary>
internal static class CronJsonAccess
{
    public static JsonSerializerOptions Options => CronJson.Options;
}
