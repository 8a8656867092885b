using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <content><c>sendMessage</c>, <c>sendPhoto</c>, <c>editMessageText</c> and the Message objects they answer with (core.telegram.org/bots/api#message).</content>
public sealed partial class FakeTelegramServer
{
    private async Task SendMessageAsync(HttpContext context, JsonObject parameters)
    {
        var chatId = Str(parameters, "chat_id");
        var text = Str(parameters, "text") ?? string.Empty;
        var parseMode = Str(parameters, "parse_mode");
        if (string.IsNullOrEmpty(chatId))
        {
            await ErrorAsync(context, 400, "Bad Request: chat_id is empty");
            return;
        }

        if (!TryPlainText(text, parseMode, out var plain, out var error))
        {
            await ErrorAsync(context, 400, "Bad Request: can't parse entities: " + error);
            return;
        }

        if (plain.Trim().Length == 0)
        {
            await ErrorAsync(context, 400, "Bad Request: message text is empty");
            return;
        }

        if (plain.Length > MaxTextLength)
        {
            await ErrorAsync(context, 400, "Bad Request: message is too long");
            return;
        }

        var thread = Int(parameters, "message_thread_id");
        var replyParameters = parameters["reply_parameters"] as JsonObject;
        var replyTo = (replyParameters is null ? null : Int(replyParameters, "message_id")) ?? Int(parameters, "reply_to_message_id");
        var allowWithoutReply = replyParameters is null ? Bool(parameters, "allow_sending_without_reply") : Bool(replyParameters, "allow_sending_without_reply");
        long messageId;
        lock (_gate)
        {
            messageId = NextMessageId(chatId);
            _texts[(chatId, messageId)] = plain;
        }

        var sent = new FakeTelegramSentMessage(messageId, chatId, text, plain, parseMode, thread, replyTo, allowWithoutReply);
        _sent.Enqueue(sent);
        if (BeforeSendMessageResponse is { } hook)
        {
            await hook(sent);
        }

        await OkAsync(context, MessageJson(chatId, messageId, plain, thread, edited: false));
    }

    /// <summary><c>sendPhoto</c> (core.telegram.org/bots/api#sendphoto) with <c>photo</c> as an HTTP URL or a file_id: 400
    /// "failed to get HTTP URL content" when <see cref="RejectPhotoUrl"/> says so, 400 "message caption is too long" over
    /// 1024 characters.</summary>
    private async Task SendPhotoAsync(HttpContext context, JsonObject parameters)
    {
        var chatId = Str(parameters, "chat_id");
        var photo = Str(parameters, "photo");
        var caption = Str(parameters, "caption");
        if (string.IsNullOrEmpty(chatId) || string.IsNullOrEmpty(photo))
        {
            await ErrorAsync(context, 400, "Bad Request: there is no photo in the request");
            return;
        }

        if (photo.StartsWith("http", StringComparison.OrdinalIgnoreCase) && RejectPhotoUrl(photo))
        {
            await ErrorAsync(context, 400, "Bad Request: failed to get HTTP URL content");
            return;
        }

        if (caption is { Length: > 1024 })
        {
            await ErrorAsync(context, 400, "Bad Request: message caption is too long");
            return;
        }

        var thread = Int(parameters, "message_thread_id");
        var replyTo = parameters["reply_parameters"] is JsonObject rp ? Int(rp, "message_id") : Int(parameters, "reply_to_message_id");
        long messageId;
        lock (_gate)
        {
            messageId = NextMessageId(chatId);
        }

        _photos.Enqueue(new FakeTelegramSentPhoto(messageId, chatId, photo, caption, thread, replyTo));
        var message = MessageJson(chatId, messageId, string.Empty, thread, edited: false);
        message.Remove("text");
        message["photo"] = new JsonArray { new JsonObject { ["file_id"] = "AgACAgQAAxkBSent" + messageId, ["file_unique_id"] = "S" + messageId, ["width"] = 800, ["height"] = 600 } };
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        await OkAsync(context, message);
    }

    private async Task EditMessageTextAsync(HttpContext context, JsonObject parameters)
    {
        var chatId = Str(parameters, "chat_id") ?? string.Empty;
        var messageId = Long(parameters, "message_id") ?? 0;
        var text = Str(parameters, "text") ?? string.Empty;
        var parseMode = Str(parameters, "parse_mode");
        if (!TryPlainText(text, parseMode, out var plain, out var error))
        {
            await ErrorAsync(context, 400, "Bad Request: can't parse entities: " + error);
            return;
        }

        if (plain.Length > MaxTextLength)
        {
            await ErrorAsync(context, 400, "Bad Request: MESSAGE_TOO_LONG");
            return;
        }

        bool found;
        bool same = false;
        lock (_gate)
        {
            found = _texts.TryGetValue((chatId, messageId), out var current);
            if (found)
            {
                same = current == plain;
                _texts[(chatId, messageId)] = plain;
            }
        }

        if (!found)
        {
            await ErrorAsync(context, 400, "Bad Request: message to edit not found");
            return;
        }

        if (same)
        {
            await ErrorAsync(context, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
            return;
        }

        _edits.Enqueue(new FakeTelegramSentMessage(messageId, chatId, text, plain, parseMode, null, null, null));
        await OkAsync(context, MessageJson(chatId, messageId, plain, null, edited: true));
    }

    private long NextMessageId(string chatId)
    {
        var next = _nextMessageId.TryGetValue(chatId, out var n) ? n : 1000;
        _nextMessageId[chatId] = next + 1;
        return next;
    }

    private JsonObject BotUser() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = "OpenClaw Test Bot",
        ["username"] = BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    };

    private JsonObject MessageJson(string chatId, long messageId, string text, int? thread, bool edited)
    {
        var numeric = long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id);
        var chat = new JsonObject
        {
            ["id"] = numeric ? id : -1001000000000,
            ["type"] = !numeric ? "channel" : id > 0 ? "private" : "supergroup",
        };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = BotUser(),
            ["chat"] = chat,
            ["date"] = now,
            ["text"] = text,
        };
        if (thread is { } t)
        {
            message["message_thread_id"] = t;
            message["is_topic_message"] = true;
        }

        if (edited)
        {
            message["edit_date"] = now;
        }

        return message;
    }
}
