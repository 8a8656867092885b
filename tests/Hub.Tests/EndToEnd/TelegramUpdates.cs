using System.Text.Json.Nodes;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>Bot API <c>Update</c> JSON as Telegram POSTs it to a webhook (core.telegram.org/bots/api#update).</summary>
public static class TelegramUpdates
{
    public static string Text(long updateId, long chatId, long fromId, string text, string chatType = "private", string? botUsername = null, long messageId = 0)
    {
        var chat = new JsonObject { ["id"] = chatId, ["type"] = chatType };
        if (chatType == "private")
        {
            chat["first_name"] = "Ann";
        }
        else
        {
            chat["title"] = "Team";
        }

        var message = new JsonObject
        {
            ["message_id"] = messageId == 0 ? updateId : messageId,
            ["from"] = new JsonObject { ["id"] = fromId, ["is_bot"] = false, ["first_name"] = "Ann", ["username"] = "ann" },
            ["chat"] = chat,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
        };
        if (botUsername is not null)
        {
            var handle = "@" + botUsername;
            var at = text.IndexOf(handle, StringComparison.Ordinal);
            if (at >= 0)
            {
                message["entities"] = new JsonArray { new JsonObject { ["offset"] = at, ["length"] = handle.Length, ["type"] = "mention" } };
            }
        }

        if (text.StartsWith('/'))
        {
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            message["entities"] = new JsonArray { new JsonObject { ["offset"] = 0, ["length"] = end < 0 ? text.Length : end, ["type"] = "bot_command" } };
        }

        return new JsonObject { ["update_id"] = updateId, ["message"] = message }.ToJsonString();
    }
}
