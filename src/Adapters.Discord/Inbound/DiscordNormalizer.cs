using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>Turns Discord payloads into <see cref="ChannelMessage"/>s: gateway <c>MESSAGE_CREATE</c> dispatches
/// (discord.com/developers/docs/resources/message#message-object) and <c>INTERACTION_CREATE</c> application commands
/// (discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).</summary>
public sealed class DiscordNormalizer
{
    /// <summary>The channel name, <c>discord</c>.</summary>
    public const string ChannelName = "discord";

    private const long DiscordEpochMs = 1_420_070_400_000;

    private readonly DiscordOptions _options;

    /// <summary>Creates the normalizer.</summary>
    /// <param name="options">The adapter options (<see cref="OpenClaw.Channels.Adapters.ChannelPolicyOptions.AllowBots"/>, <see cref="DiscordOptions.AskCommandName"/>).</param>
    public DiscordNormalizer(IOptions<DiscordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <summary>Normalizes the <c>d</c> object of a <c>MESSAGE_CREATE</c> dispatch.</summary>
    /// <param name="message">The message object.</param>
    /// <param name="selfUserId">The bot's own user id (READY <c>user.id</c>); its messages are dropped.</param>
    /// <param name="accountId">The account id to stamp on the message (application id or bot user id).</param>
    /// <param name="isKnownThread">True when the caller knows <c>channel_id</c> is a thread (from THREAD_CREATE or
    /// GUILD_CREATE <c>threads</c>); otherwise only <c>channel_type</c> 10, 11 or 12 marks a thread.</param>
    /// <param name="botRoleIds">The bot's managed role ids (GUILD_CREATE <c>roles</c> with <c>tags.bot_id</c> = the bot):
    /// a message whose <c>mention_roles</c> (or text, <c>&lt;@&amp;id&gt;</c>) names one mentions the bot, and the
    /// mention is removed from the text like a user mention.</param>
    /// <returns>The message, or <see langword="null"/> when it is the bot's own, from another bot while
    /// <see cref="OpenClaw.Channels.Adapters.ChannelPolicyOptions.AllowBots"/> is false, from a webhook, or not a user message (joins, pins…).</returns>
    /// <exception cref="KeyNotFoundException">A required field (<c>id</c>, <c>channel_id</c>, <c>author</c>) is missing.</exception>
    public ChannelMessage? NormalizeMessageCreate(JsonElement message, string? selfUserId, string accountId, bool isKnownThread = false, IReadOnlySet<string>? botRoleIds = null)
    {
        var id = message.GetProperty("id").GetString()!;
        var channelId = message.GetProperty("channel_id").GetString()!;
        var author = message.GetProperty("author");
        var authorId = author.GetProperty("id").GetString()!;
        var isBot = Bool(author, "bot") || message.TryGetProperty("webhook_id", out _);
        if (authorId == selfUserId || (isBot && !_options.AllowBots))
        {
            return null;
        }

        // 0 DEFAULT and 19 REPLY are user messages; 20 CHAT_INPUT_COMMAND echoes are not.
        var type = message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : 0;
        if (type is not (0 or 19))
        {
            return null;
        }

        var guildId = Str(message, "guild_id");
        var kind = guildId is null ? ChatKind.Direct : ChatKind.Group;
        var channelType = message.TryGetProperty("channel_type", out var ct) && ct.ValueKind == JsonValueKind.Number ? ct.GetInt32() : -1;
        var threadId = isKnownThread || channelType is 10 or 11 or 12 ? channelId : null;

        var content = Str(message, "content") ?? string.Empty;
        var mentionsBot = false;
        if (selfUserId is not null)
        {
            if (message.TryGetProperty("mentions", out var mentions) && mentions.ValueKind == JsonValueKind.Array)
            {
                mentionsBot = mentions.EnumerateArray().Any(m => Str(m, "id") == selfUserId);
            }

            var plain = "<@" + selfUserId + ">";
            var nick = "<@!" + selfUserId + ">";
            if (content.Contains(plain, StringComparison.Ordinal) || content.Contains(nick, StringComparison.Ordinal))
            {
                mentionsBot = true;
                content = content.Replace(nick, string.Empty, StringComparison.Ordinal).Replace(plain, string.Empty, StringComparison.Ordinal);
            }
        }

        if (botRoleIds is { Count: > 0 })
        {
            if (message.TryGetProperty("mention_roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                && roles.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && botRoleIds.Contains(r.GetString()!)))
            {
                mentionsBot = true;
            }

            foreach (var roleId in botRoleIds)
            {
                var roleMention = "<@&" + roleId + ">";
                if (content.Contains(roleMention, StringComparison.Ordinal))
                {
                    mentionsBot = true;
                    content = content.Replace(roleMention, string.Empty, StringComparison.Ordinal);
                }
            }
        }

        content = content.Trim();
        string? replyToId = null;
        if (message.TryGetProperty("message_reference", out var reference) && reference.ValueKind == JsonValueKind.Object)
        {
            replyToId = Str(reference, "message_id");
        }

        var repliesToBot = selfUserId is not null
            && message.TryGetProperty("referenced_message", out var referenced) && referenced.ValueKind == JsonValueKind.Object
            && referenced.TryGetProperty("author", out var refAuthor) && Str(refAuthor, "id") == selfUserId;

        var attachments = ParseAttachments(message);
        var command = kind == ChatKind.Direct || mentionsBot ? BotCommand.TryParse(content, null) : null;
        var messageType = InboundMessageType.Of(command, content, attachments);

        var timestamp = Str(message, "timestamp") is { } ts && DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : SnowflakeTime(id);

        return new ChannelMessage
        {
            Channel = ChannelName,
            AccountId = accountId,
            PlatformMessageId = id,
            NativeMessageId = id,
            Chat = new ChatRef(channelId, kind, threadId),
            Sender = new SenderRef(authorId, DisplayName(author, message), isBot),
            Type = messageType,
            Text = content,
            Attachments = attachments,
            Command = command,
            MentionsBot = mentionsBot,
            RepliesToBot = repliesToBot,
            ReplyToId = replyToId,
            Timestamp = timestamp,
            RawPayload = message.GetRawText(),
        };
    }

    /// <summary>Normalizes an application-command interaction (<c>type</c> 2). <c>/ask prompt:…</c> (see
    /// <see cref="DiscordOptions.AskCommandName"/>) becomes a text message with the prompt as text; other commands
    /// become <see cref="MessageType.Command"/> messages. <see cref="ChannelMessage.ReplyContext"/> carries the
    /// interaction token (valid 15 min) so the answer edits the deferred response.</summary>
    /// <param name="interaction">The interaction object.</param>
    /// <returns>The message, or <see langword="null"/> when it is not an application command or has no channel.</returns>
    /// <exception cref="KeyNotFoundException">A required field (<c>id</c>, <c>token</c>) is missing.</exception>
    public ChannelMessage? NormalizeInteraction(JsonElement interaction)
    {
        if (!interaction.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.Number || type.GetInt32() != 2)
        {
            return null;
        }

        var id = interaction.GetProperty("id").GetString()!;
        var token = interaction.GetProperty("token").GetString()!;
        var channelId = Str(interaction, "channel_id")
            ?? (interaction.TryGetProperty("channel", out var ch) && ch.ValueKind == JsonValueKind.Object ? Str(ch, "id") : null);
        if (channelId is null)
        {
            return null;
        }

        var guildId = Str(interaction, "guild_id");
        var user = interaction.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object && member.TryGetProperty("user", out var mu)
            ? mu
            : interaction.GetProperty("user");
        var channelType = interaction.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object
            && channel.TryGetProperty("type", out var cht) && cht.ValueKind == JsonValueKind.Number ? cht.GetInt32() : -1;

        var data = interaction.GetProperty("data");
        var name = (Str(data, "name") ?? string.Empty).ToLowerInvariant();
        var values = new List<string>();
        string? prompt = null;
        if (data.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array)
        {
            foreach (var option in options.EnumerateArray())
            {
                if (!option.TryGetProperty("value", out var value))
                {
                    continue;
                }

                var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                values.Add(text);
                if (Str(option, "name") == "prompt")
                {
                    prompt = text;
                }
            }
        }

        var isAsk = string.Equals(name, _options.AskCommandName, StringComparison.OrdinalIgnoreCase);
        var args = string.Join(' ', values).Trim();
        var accountId = string.IsNullOrEmpty(_options.ApplicationId) ? Str(interaction, "application_id") ?? string.Empty : _options.ApplicationId;
        return new ChannelMessage
        {
            Channel = ChannelName,
            AccountId = accountId,
            PlatformMessageId = id,
            Chat = new ChatRef(channelId, guildId is null ? ChatKind.Direct : ChatKind.Group, channelType is 10 or 11 or 12 ? channelId : null),
            Sender = new SenderRef(Str(user, "id")!, DisplayName(user, interaction), Bool(user, "bot")),
            Type = isAsk ? MessageType.Text : MessageType.Command,
            Text = isAsk ? (prompt ?? args) : string.Concat("/", name, args.Length > 0 ? " " : string.Empty, args),
            Command = isAsk ? null : new BotCommand(name, args),
            MentionsBot = true,
            ReplyContext = token,
            Timestamp = SnowflakeTime(id),
        };
    }

    private static List<Attachment> ParseAttachments(JsonElement message)
    {
        var list = new List<Attachment>();
        if (!message.TryGetProperty("attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var a in attachments.EnumerateArray())
        {
            var mime = Str(a, "content_type");
            var kind = mime switch
            {
                not null when mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Image,
                not null when mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Audio,
                not null when mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Video,
                _ => AttachmentKind.File,
            };
            long? size = a.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : null;
            list.Add(new Attachment(kind, Str(a, "url"), Str(a, "id"), mime, size, Str(a, "filename")));
        }

        return list;
    }

    private static string DisplayName(JsonElement user, JsonElement container)
    {
        if (container.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object && Str(member, "nick") is { Length: > 0 } nick)
        {
            return nick;
        }

        return Str(user, "global_name") is { Length: > 0 } global ? global : Str(user, "username") ?? string.Empty;
    }

    private static DateTimeOffset SnowflakeTime(string id)
        => ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var snowflake)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(snowflake >> 22) + DiscordEpochMs)
            : DateTimeOffset.UtcNow;

    private static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
