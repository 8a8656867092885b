using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>JSON form of stored messages (camelCase, enums as strings).</summary>
internal static class MessageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(ChannelMessage message) => JsonSerializer.Serialize(message, Options);

    public static ChannelMessage Deserialize(string json)
        => JsonSerializer.Deserialize<ChannelMessage>(json, Options) ?? throw new JsonException("Stored message is null.");
}
