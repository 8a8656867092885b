using System.Globalization;

namespace OpenClaw.Channels.WeChat;

/// <summary>Turns the fields of a (decrypted) WeChat / WeCom callback into a <see cref="ChannelMessage"/>.
/// Messages: text, image, voice (with <c>Recognition</c>), video / shortvideo, location, link
/// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html); events
/// (…/Receiving_event_pushes.html): <c>subscribe</c> (an <see cref="MessageType.Event"/> without text) and <c>CLICK</c>
/// with an <c>EventKey</c> (a <see cref="MessageType.Text"/> message whose text is the key: the menu button the user
/// pressed). Events that carry no request (<c>unsubscribe</c>, <c>VIEW</c>, <c>SCAN</c>, <c>LOCATION</c>, <c>CLICK</c>
/// without a key, …) and anything else give <see langword="null"/>.</summary>
public sealed class WeChatNormalizer
{
    /// <summary>Normalizes one callback.</summary>
    /// <param name="fields">The child elements of the callback's root <c>xml</c> element.</param>
    /// <param name="channel"><c>wechat</c> or <c>wecom</c>.</param>
    /// <param name="accountId">The AppId, or <c>CorpId:AgentId</c> for WeCom.</param>
    /// <param name="rawPayload">The plaintext XML to keep, or null.</param>
    /// <returns>The message; <see langword="null"/> for unknown types, events that carry no request, or when
    /// <c>FromUserName</c> is missing.
    /// <see cref="ChannelMessage.PlatformMessageId"/> is <c>MsgId</c>, or <c>{FromUserName}:{CreateTime}:{Event}</c> for events.</returns>
    public ChannelMessage? Normalize(IReadOnlyDictionary<string, string> fields, string channel, string accountId, string? rawPayload)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var from = Get(fields, "FromUserName");
        var msgType = Get(fields, "MsgType")?.ToLowerInvariant();
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(msgType))
        {
            return null;
        }

        var createTime = Get(fields, "CreateTime") ?? "0";
        var timestamp = long.TryParse(createTime, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UtcNow;
        var msgId = Get(fields, "MsgId");
        var platformId = string.IsNullOrEmpty(msgId) ? string.Concat(from, ":", createTime, ":", msgType) : msgId;

        ChannelMessage? Build(MessageType type, string text, IReadOnlyList<Attachment> attachments, BotCommand? command = null, string? id = null)
            => new()
            {
                Channel = channel,
                AccountId = accountId,
                PlatformMessageId = id ?? platformId,
                NativeMessageId = string.IsNullOrEmpty(msgId) ? null : msgId,
                Chat = new ChatRef(from, ChatKind.Direct),
                Sender = new SenderRef(from, string.Empty),
                Type = type,
                Text = text,
                Attachments = attachments,
                Command = command,
                MentionsBot = false,
                Timestamp = timestamp,
                RawPayload = rawPayload,
            };

        switch (msgType)
        {
            case "text":
                {
                    var content = Get(fields, "Content") ?? string.Empty;
                    var command = BotCommand.TryParse(content, null);
                    return Build(command is null ? MessageType.Text : MessageType.Command, content, [], command);
                }

            case "image":
                return Build(MessageType.Image, string.Empty, [new Attachment(AttachmentKind.Image, Get(fields, "PicUrl"), Get(fields, "MediaId"))]);
            case "voice":
                {
                    var format = Get(fields, "Format")?.ToLowerInvariant();
                    var mime = string.IsNullOrEmpty(format) ? null : "audio/" + format;
                    return Build(MessageType.Audio, Get(fields, "Recognition") ?? string.Empty,
                        [new Attachment(AttachmentKind.Audio, null, Get(fields, "MediaId"), mime)]);
                }

            case "video":
            case "shortvideo":
                return Build(MessageType.Video, string.Empty, [new Attachment(AttachmentKind.Video, null, Get(fields, "MediaId"))]);
            case "location":
                {
                    var lat = Get(fields, "Location_X") ?? string.Empty;
                    var lon = Get(fields, "Location_Y") ?? string.Empty;
                    var label = Get(fields, "Label") ?? string.Empty;
                    return Build(MessageType.Text, label, [new Attachment(AttachmentKind.Location, Name: string.Concat(lat, ",", lon))]);
                }

            case "link":
                {
                    var title = Get(fields, "Title") ?? string.Empty;
                    var description = Get(fields, "Description") ?? string.Empty;
                    var url = Get(fields, "Url");
                    var text = string.IsNullOrEmpty(description) ? title : string.Concat(title, "\n", description);
                    return Build(MessageType.Text, text, [new Attachment(AttachmentKind.Link, url, Name: title)]);
                }

            case "event":
                {
                    var ev = Get(fields, "Event") ?? string.Empty;
                    var eventId = string.Concat(from, ":", createTime, ":", ev);
                    var key = Get(fields, "EventKey");
                    return ev.ToLowerInvariant() switch
                    {
                        "subscribe" => Build(MessageType.Event, string.Empty, [], null, eventId),
                        // A menu button the user pressed: its key is what the user asked for.
                        "click" when !string.IsNullOrEmpty(key) => Build(MessageType.Text, key, [], null, eventId),
                        _ => null,
                    };
                }

            default:
                return null;
        }
    }

    /// <summary>True when <paramref name="fields"/> is a <c>subscribe</c> event.</summary>
    /// <param name="fields">The callback fields.</param>
    /// <returns>True for <c>MsgType=event</c>, <c>Event=subscribe</c>.</returns>
    public static bool IsSubscribe(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return string.Equals(Get(fields, "MsgType"), "event", StringComparison.OrdinalIgnoreCase)
            && string.Equals(Get(fields, "Event"), "subscribe", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The <c>Event</c> of an event callback (as sent, e.g. <c>subscribe</c>, <c>CLICK</c>), or null when
    /// <paramref name="fields"/> is not an event.</summary>
    /// <param name="fields">The callback fields.</param>
    /// <returns>The event name, or null.</returns>
    public static string? EventName(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return string.Equals(Get(fields, "MsgType"), "event", StringComparison.OrdinalIgnoreCase) ? Get(fields, "Event") ?? string.Empty : null;
    }

    private static string? Get(IReadOnlyDictionary<string, string> fields, string name)
        => fields.TryGetValue(name, out var value) ? value.Trim() : null;
}
