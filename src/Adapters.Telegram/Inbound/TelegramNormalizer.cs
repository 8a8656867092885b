using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Telegram;

/// <summary>Turns a Bot API <see cref="Update"/> (core.telegram.org/bots/api#update) into a <see cref="ChannelMessage"/>.
/// Handles <c>message</c>, <c>channel_post</c> and, unless <see cref="TelegramOptions.IgnoreEditedMessages"/>,
/// <c>edited_message</c>/<c>edited_channel_post</c>; every other update type yields <see langword="null"/>.</summary>
public sealed class TelegramNormalizer(IOptions<TelegramOptions> options)
{
    /// <summary>The channel name, <c>telegram</c>.</summary>
    public const string ChannelName = "telegram";

    /// <summary>Normalizes one update.</summary>
    /// <param name="update">The deserialized update.</param>
    /// <param name="rawPayload">The update's JSON text, kept in <see cref="ChannelMessage.RawPayload"/>.</param>
    /// <param name="bot">The bot's own identity from <c>getMe</c>, for mention and reply detection.</param>
    /// <returns>The message, or <see langword="null"/> when the update type is not handled (acknowledge and ignore).</returns>
    /// <remarks><see cref="ChannelMessage.PlatformMessageId"/> is the <c>update_id</c> (redelivery-stable);
    /// <see cref="ChannelMessage.NativeMessageId"/> is the <c>message_id</c>. Mentions follow PROTOCOLS.md §4: a
    /// <c>mention</c> entity equal to <c>@username</c> (case-insensitive), a <c>text_mention</c> of the bot's id, a
    /// <c>bot_command</c> ending in <c>@username</c>. Entity offsets are UTF-16 code units.</remarks>
    public ChannelMessage? Normalize(Update update, string? rawPayload, TelegramBotInfo bot)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(bot);
        var edited = false;
        Message? message;
        switch (update.Type)
        {
            case UpdateType.Message:
                message = update.Message;
                break;
            case UpdateType.ChannelPost:
                message = update.ChannelPost;
                break;
            case UpdateType.EditedMessage:
                message = update.EditedMessage;
                edited = true;
                break;
            case UpdateType.EditedChannelPost:
                message = update.EditedChannelPost;
                edited = true;
                break;
            default:
                return null;
        }

        if (message is null || (edited && options.Value.IgnoreEditedMessages))
        {
            return null;
        }

        var text = message.Text ?? message.Caption ?? string.Empty;
        var entities = message.Text is not null ? message.Entities : message.CaptionEntities;
        var (mentions, strippedText) = DetectMention(text, entities, bot);
        var command = BotCommand.TryParse(text, bot.Username);
        var attachments = Attachments(message);
        var repliesToBot = message.ReplyToMessage?.From?.Id == bot.Id;

        return new ChannelMessage
        {
            Channel = ChannelName,
            AccountId = bot.Id.ToString(CultureInfo.InvariantCulture),
            PlatformMessageId = update.Id.ToString(CultureInfo.InvariantCulture),
            NativeMessageId = message.MessageId.ToString(CultureInfo.InvariantCulture),
            Chat = new ChatRef(
                message.Chat.Id.ToString(CultureInfo.InvariantCulture),
                message.Chat.Type switch
                {
                    ChatType.Private => ChatKind.Direct,
                    ChatType.Channel => ChatKind.Channel,
                    _ => ChatKind.Group,
                },
                message.IsTopicMessage && message.MessageThreadId is { } thread ? thread.ToString(CultureInfo.InvariantCulture) : null,
                message.Chat.Title),
            Sender = Sender(message),
            Type = command is not null ? MessageType.Command : TypeOf(message),
            Text = strippedText,
            Attachments = attachments,
            Command = command,
            MentionsBot = mentions,
            RepliesToBot = repliesToBot,
            ReplyToId = message.ReplyToMessage?.MessageId.ToString(CultureInfo.InvariantCulture),
            Timestamp = new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)),
            RawPayload = rawPayload,
        };
    }

    private static (bool Mentions, string Text) DetectMention(string text, MessageEntity[]? entities, TelegramBotInfo bot)
    {
        if (entities is null || entities.Length == 0 || text.Length == 0)
        {
            return (false, text);
        }

        var handle = "@" + bot.Username;
        var mentions = false;
        MessageEntity? leading = null;
        foreach (var e in entities)
        {
            if (e.Offset < 0 || e.Length <= 0 || e.Offset + e.Length > text.Length)
            {
                continue;
            }

            var value = text.AsSpan(e.Offset, e.Length);
            var hit = e.Type switch
            {
                MessageEntityType.Mention => bot.Username.Length > 0 && value.Equals(handle, StringComparison.OrdinalIgnoreCase),
                MessageEntityType.TextMention => e.User?.Id == bot.Id,
                MessageEntityType.BotCommand => bot.Username.Length > 0 && value.EndsWith(handle, StringComparison.OrdinalIgnoreCase),
                _ => false,
            };
            if (hit)
            {
                mentions = true;
                if (e.Offset == LeadingWhitespace(text) && e.Type is MessageEntityType.Mention or MessageEntityType.TextMention)
                {
                    leading = e;
                }
            }
        }

        if (leading is null)
        {
            return (mentions, text);
        }

        var rest = text[(leading.Offset + leading.Length)..].TrimStart();
        if (rest.Length > 0 && rest[0] is ',' or ':')
        {
            rest = rest[1..].TrimStart();
        }

        return (mentions, rest);
    }

    private static int LeadingWhitespace(string text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static SenderRef Sender(Message message)
    {
        if (message.From is { } from)
        {
            var name = new StringBuilder(from.FirstName);
            if (!string.IsNullOrEmpty(from.LastName))
            {
                name.Append(' ').Append(from.LastName);
            }

            var display = name.ToString().Trim();
            if (display.Length == 0 && !string.IsNullOrEmpty(from.Username))
            {
                display = "@" + from.Username;
            }

            return new SenderRef(from.Id.ToString(CultureInfo.InvariantCulture), display, from.IsBot);
        }

        var chat = message.SenderChat ?? message.Chat;
        return new SenderRef(chat.Id.ToString(CultureInfo.InvariantCulture), chat.Title ?? chat.Username ?? string.Empty);
    }

    private static MessageType TypeOf(Message message)
    {
        if (message.Photo is { Length: > 0 })
        {
            return MessageType.Image;
        }

        if (message.Voice is not null || message.Audio is not null)
        {
            return MessageType.Audio;
        }

        if (message.Video is not null)
        {
            return MessageType.Video;
        }

        return message.Document is not null ? MessageType.File : MessageType.Text;
    }

    private static List<Attachment> Attachments(Message message)
    {
        var list = new List<Attachment>();
        if (message.Photo is { Length: > 0 } sizes)
        {
            // core.telegram.org/bots/api#photosize: the same photo in several sizes; the largest is the attachment, the
            // others are kept so a download within a size cap can fall back to a smaller one.
            var ordered = sizes.OrderByDescending(p => (long)p.Width * p.Height).ToList();
            var largest = ordered[0];
            list.Add(new Attachment(AttachmentKind.Image, PlatformFileId: largest.FileId, MimeType: "image/jpeg", SizeBytes: largest.FileSize)
            {
                SmallerVariants = [.. ordered.Skip(1).Select(p => new Attachment(AttachmentKind.Image, PlatformFileId: p.FileId, MimeType: "image/jpeg", SizeBytes: p.FileSize))],
            });
        }

        if (message.Document is { } doc)
        {
            list.Add(new Attachment(AttachmentKind.File, PlatformFileId: doc.FileId, MimeType: doc.MimeType, SizeBytes: doc.FileSize, Name: doc.FileName));
        }

        if (message.Voice is { } voice)
        {
            list.Add(new Attachment(AttachmentKind.Audio, PlatformFileId: voice.FileId, MimeType: voice.MimeType, SizeBytes: voice.FileSize));
        }

        if (message.Audio is { } audio)
        {
            list.Add(new Attachment(AttachmentKind.Audio, PlatformFileId: audio.FileId, MimeType: audio.MimeType, SizeBytes: audio.FileSize, Name: audio.FileName));
        }

        if (message.Video is { } video)
        {
            list.Add(new Attachment(AttachmentKind.Video, PlatformFileId: video.FileId, MimeType: video.MimeType, SizeBytes: video.FileSize, Name: video.FileName));
        }

        return list;
    }
}
