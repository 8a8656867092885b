using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace OpenClaw.Channels.Telegram;

/// <summary>Parses one Bot API <c>Update</c> JSON object (core.telegram.org/bots/api#update).</summary>
internal static class TelegramUpdateParser
{
    /// <summary>Parses <paramref name="json"/>; returns false with a short reason when it is not an update object
    /// (not JSON, not an object, no integer <c>update_id</c>).</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out Update? update, out string error)
    {
        update = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("update_id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out _))
            {
                error = "not an Update object with an integer update_id";
                return false;
            }

            update = doc.RootElement.Deserialize<Update>(JsonBotAPI.Options);
            if (update is null)
            {
                error = "null update";
                return false;
            }

            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Serializes an update back to Bot API JSON (snake_case), for <see cref="ChannelMessage.RawPayload"/>.</summary>
    public static string Serialize(Update update) => JsonSerializer.Serialize(update, JsonBotAPI.Options);
}
