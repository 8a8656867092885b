using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Channels.Cron;

/// <summary>JSON shape of definitions and runs (API bodies and stored values): camel case, enums as camel-case strings.</summary>
internal static class CronJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
