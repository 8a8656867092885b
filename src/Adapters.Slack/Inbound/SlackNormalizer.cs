using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Turns a Slack <c>event_callback</c> envelope into a <see cref="ChannelMessage"/>
/// (docs.slack.dev/reference/events/message, docs.slack.dev/reference/events/app_mention).
/// Keeps plain messages, <c>file_share</c>, <c>thread_broadcast</c> and <c>app_mention</c>; drops the bot's own
/// messages, edits, deletes, joins and other subtypes. The text reaches the hub as its reader sees it: the bot's own
/// mention removed, other mentions, channels and links rendered and the escaping undone (<see cref="SlackInboundText"/>).</summary>
internal sealed partial class SlackNormalizer(SlackBotIdentity identity, SlackUserDirectory users, IChannelStateStore state, IOptions<SlackOptions> options)
{
    /// <summary>The channel name, <c>slack</c>.</summary>
    public const string ChannelName = "slack";

    private static readonly HashSet<string> KeptSubtypes = new(StringComparer.Ordinal) { "file_share", "thread_broadcast", "me_message", "bot_message" };

    /// <summary>Normalizes one envelope.</summary>
    /// <param name="envelope">The <c>event_callback</c> object (the HTTP body, or a Socket Mode envelope's <c>payload</c>).</param>
    /// <param name="cancellationToken">Cancels the state store and <c>auth.test</c> calls.</param>
    /// <returns>The message, or the reason it was dropped.</returns>
    /// <exception cref="FormatException">The envelope lacks the fields every event has.</exception>
    public async Task<SlackNormalizeResult> NormalizeAsync(JsonElement envelope, CancellationToken cancellationToken)
    {
        var eventId = Str(envelope, "event_id") ?? string.Empty;
        if (!envelope.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("event_callback without an event object");
        }

        var type = Str(ev, "type");
        if (type is not ("message" or "app_mention"))
        {
            return SlackNormalizeResult.Drop(eventId, "unsupported-event");
        }

        var subtype = Str(ev, "subtype");
        if ((subtype is not null && !KeptSubtypes.Contains(subtype)) || ev.TryGetProperty("hidden", out var hidden) && hidden.ValueKind == JsonValueKind.True)
        {
            return SlackNormalizeResult.Drop(eventId, "subtype");
        }

        var channelId = Str(ev, "channel");
        var ts = Str(ev, "ts");
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(ts))
        {
            throw new FormatException("message event without channel or ts");
        }

        var botUserId = await BotUserIdAsync(envelope, cancellationToken).ConfigureAwait(false);
        var user = Str(ev, "user");
        var botId = Str(ev, "bot_id");
        var appId = Str(envelope, "api_app_id");
        var eventAppId = Str(ev, "app_id") ?? (ev.TryGetProperty("bot_profile", out var profile) && profile.ValueKind == JsonValueKind.Object ? Str(profile, "app_id") : null);
        if ((user is not null && user == botUserId) || (appId is not null && eventAppId == appId))
        {
            return SlackNormalizeResult.Drop(eventId, "own-message");
        }

        var isBot = botId is not null || subtype == "bot_message";
        var o = options.Value;
        if (isBot && !o.AllowBots)
        {
            return SlackNormalizeResult.Drop(eventId, "bot");
        }

        var accountId = Str(envelope, "team_id") ?? Str(ev, "team") ?? appId ?? "unknown";
        var kind = ChatKindOf(Str(ev, "channel_type"), channelId);
        var threadTs = Str(ev, "thread_ts");
        var isThreadReply = threadTs is not null && threadTs != ts;

        var text = Str(ev, "text") ?? string.Empty;
        var mentions = type == "app_mention";
        if (!string.IsNullOrEmpty(botUserId))
        {
            var stripped = MentionRegex().Replace(text, m => m.Groups[1].Value == botUserId ? string.Empty : m.Value);
            mentions |= stripped.Length != text.Length;
            text = MultiSpaceRegex().Replace(stripped, " ").Trim();
        }

        text = (await SlackInboundText.RenderAsync(text, users.GetDisplayNameAsync, cancellationToken).ConfigureAwait(false)).Trim();

        var attachments = ReadFiles(ev);
        if (text.Length == 0 && attachments.Count == 0)
        {
            return SlackNormalizeResult.Drop(eventId, "empty");
        }

        var repliesToBot = false;
        if (isThreadReply)
        {
            repliesToBot = (botUserId is not null && Str(ev, "parent_user_id") == botUserId)
                || await state.GetAsync(SlackThreadKeys.Participation(accountId, channelId, threadTs!), cancellationToken).ConfigureAwait(false) is not null;
        }

        var command = BotCommand.TryParse(text, null);
        var messageType = InboundMessageType.Of(command, text, attachments);
        var threadId = kind == ChatKind.Direct ? threadTs : threadTs ?? ts;
        var sender = new SenderRef(user ?? botId ?? "unknown", DisplayName(ev), isBot);

        var message = new ChannelMessage
        {
            Channel = ChannelName,
            AccountId = accountId,
            PlatformMessageId = string.Concat(channelId, ":", ts),
            Chat = new ChatRef(channelId, kind, threadId),
            Sender = sender,
            Type = messageType,
            Text = text,
            Attachments = attachments,
            Command = command,
            MentionsBot = mentions,
            RepliesToBot = repliesToBot,
            ReplyToId = isThreadReply ? threadTs : null,
            NativeMessageId = ts,
            Timestamp = ParseTs(ts),
            RawPayload = ev.GetRawText(),
        };
        return new SlackNormalizeResult(eventId, message, null);
    }

    /// <summary>Normalizes a slash command (docs.slack.dev/interactivity/implementing-slash-commands): the form fields of
    /// <c>POST /webhooks/slack/commands</c>, or the <c>payload</c> of a Socket Mode <c>slash_commands</c> envelope. The
    /// ask command (<see cref="SlackOptions.AskCommandName"/>) becomes a text message whose text is the command's text;
    /// other commands (<c>/reset</c>, <c>/status</c>, …) become <see cref="MessageType.Command"/> messages. Either counts
    /// as addressed to the bot. <see cref="ChannelMessage.ReplyContext"/> carries the <c>response_url</c> (prefix
    /// <see cref="SlackSender.ResponseUrlPrefix"/>) the answer is posted to.</summary>
    /// <param name="fields">The command fields (<c>command</c>, <c>text</c>, <c>user_id</c>, <c>channel_id</c>,
    /// <c>team_id</c>, <c>response_url</c>, <c>trigger_id</c>, …).</param>
    /// <param name="cancellationToken">Cancels the <c>users.info</c> lookups of mentions in the text.</param>
    /// <returns>The message. Its <see cref="ChannelMessage.PlatformMessageId"/> is <c>command:{trigger_id}</c>.</returns>
    /// <exception cref="FormatException"><c>command</c>, <c>user_id</c>, <c>channel_id</c>, <c>response_url</c> or
    /// <c>trigger_id</c> is missing, or <c>response_url</c> is not an absolute https (or loopback http) URL.</exception>
    public async Task<ChannelMessage> NormalizeCommandAsync(IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        string Required(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : throw new FormatException("slash command without " + name);
        var command = Required("command").TrimStart('/').ToLowerInvariant();
        var userId = Required("user_id");
        var channelId = Required("channel_id");
        var responseUrl = Required("response_url");
        var triggerId = Required("trigger_id");
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new FormatException("slash command response_url is not an https URL");
        }

        var raw = fields.TryGetValue("text", out var t) ? t : string.Empty;
        var text = (await SlackInboundText.RenderAsync(raw, users.GetDisplayNameAsync, cancellationToken).ConfigureAwait(false)).Trim();
        var isAsk = string.Equals(command, options.Value.AskCommandName.TrimStart('/'), StringComparison.OrdinalIgnoreCase);
        var accountId = fields.TryGetValue("team_id", out var team) && team.Length > 0 ? team : fields.TryGetValue("api_app_id", out var app) && app.Length > 0 ? app : "unknown";
        var kind = channelId.StartsWith('D') ? ChatKind.Direct : ChatKind.Group;
        var name = fields.TryGetValue("user_name", out var userName) ? userName : string.Empty;
        return new ChannelMessage
        {
            Channel = ChannelName,
            AccountId = accountId,
            PlatformMessageId = "command:" + triggerId,
            Chat = new ChatRef(channelId, kind),
            Sender = new SenderRef(userId, name),
            Type = isAsk ? MessageType.Text : MessageType.Command,
            Text = isAsk ? text : string.Concat("/", command, text.Length > 0 ? " " : string.Empty, text),
            Command = isAsk ? null : new BotCommand(command, text),
            MentionsBot = true,
            ReplyContext = SlackSender.ResponseUrlPrefix + responseUrl,
            Timestamp = DateTimeOffset.UtcNow,
        };
    }

    private async Task<string?> BotUserIdAsync(JsonElement envelope, CancellationToken cancellationToken)
    {
        if (envelope.TryGetProperty("authorizations", out var auths) && auths.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in auths.EnumerateArray())
            {
                if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("is_bot", out var isBot) && isBot.ValueKind == JsonValueKind.True
                    && Str(a, "user_id") is { Length: > 0 } id)
                {
                    return id;
                }
            }
        }

        var me = await identity.GetAsync(cancellationToken).ConfigureAwait(false);
        return me?.UserId;
    }

    private static ChatKind ChatKindOf(string? channelType, string channelId) => channelType switch
    {
        "im" => ChatKind.Direct,
        "channel" or "group" or "mpim" => ChatKind.Group,
        _ => channelId.StartsWith('D') ? ChatKind.Direct : ChatKind.Group,
    };

    private static List<Attachment> ReadFiles(JsonElement ev)
    {
        var list = new List<Attachment>();
        if (!ev.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var f in files.EnumerateArray())
        {
            if (f.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var mime = Str(f, "mimetype");
            var kind = mime switch
            {
                not null when mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Image,
                not null when mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Audio,
                not null when mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Video,
                _ => AttachmentKind.File,
            };
            long? size = f.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
            // url_private_download serves the bytes (url_private may show a preview page); both need the bot token.
            list.Add(new Attachment(kind, Str(f, "url_private_download") ?? Str(f, "url_private"), Str(f, "id"), mime, size, Str(f, "name")));
        }

        return list;
    }

    private static string DisplayName(JsonElement ev)
    {
        if (ev.TryGetProperty("user_profile", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            var name = Str(p, "display_name");
            if (string.IsNullOrEmpty(name))
            {
                name = Str(p, "real_name");
            }

            if (!string.IsNullOrEmpty(name))
            {
                return name;
            }
        }

        return Str(ev, "username") ?? string.Empty;
    }

    private static DateTimeOffset ParseTs(string ts)
        => decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : DateTimeOffset.UtcNow;

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex(@"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")]
    private static partial Regex MentionRegex();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex MultiSpaceRegex();
}
