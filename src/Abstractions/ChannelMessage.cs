namespace OpenClaw.Channels;

/// <summary>
/// One inbound message in the hub's unified format, produced by an adapter's normalizer from a platform
/// payload (Telegram <c>Update</c>, Slack <c>event_callback</c>, Discord <c>MESSAGE_CREATE</c>, WeChat XML).
/// Serializable with System.Text.Json (it is stored in session inboxes).
/// </summary>
public sealed record ChannelMessage
{
    /// <summary>Hub-assigned id, 26 characters, sortable by creation time (see <see cref="SortableId"/>).</summary>
    public string Id { get; init; } = SortableId.NewId();

    /// <summary>Channel name in lower case: <c>telegram</c>, <c>slack</c>, <c>discord</c>, <c>wechat</c>, <c>wecom</c>, …</summary>
    public required string Channel { get; init; }

    /// <summary>Which bot account of the channel received the message (e.g. the Telegram bot id, Slack team id, WeChat AppId).</summary>
    public required string AccountId { get; init; }

    /// <summary>The platform's id for this message or delivery (Telegram <c>update_id</c>-derived, Slack <c>event_id</c>,
    /// Discord message id, WeChat <c>MsgId</c>). Together with <see cref="Channel"/> and <see cref="AccountId"/>
    /// it is the idempotency key for dedupe.</summary>
    public required string PlatformMessageId { get; init; }

    /// <summary>The conversation the message belongs to.</summary>
    public required ChatRef Chat { get; init; }

    /// <summary>Who sent it.</summary>
    public required SenderRef Sender { get; init; }

    /// <summary>Main content type.</summary>
    public MessageType Type { get; init; } = MessageType.Text;

    /// <summary>Message text or media caption, with the bot's own mention stripped where the platform embeds it; may be empty.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Media and files; empty when there are none.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>The bot command when the text is one (<c>/reset</c>), else <see langword="null"/>.</summary>
    public BotCommand? Command { get; init; }

    /// <summary>True when the message mentions the bot (an @mention, a command addressed to it, or a platform mention entity).</summary>
    public bool MentionsBot { get; init; }

    /// <summary>True when the message is a reply to one of the bot's own messages.</summary>
    public bool RepliesToBot { get; init; }

    /// <summary>The platform message id this message replies to, if any.</summary>
    public string? ReplyToId { get; init; }

    /// <summary>The platform id of the message itself, used to reply to it (Telegram <c>message_id</c>, Slack <c>ts</c>);
    /// may differ from <see cref="PlatformMessageId"/>, which identifies the delivery.</summary>
    public string? NativeMessageId { get; init; }

    /// <summary>Opaque, adapter-defined reply handle that travels with the message to its reply, e.g. a Discord
    /// interaction token or a WeChat passive-reply slot; <see langword="null"/> for none. Never logged.</summary>
    public string? ReplyContext { get; init; }

    /// <summary>When the platform says the message was sent, UTC.</summary>
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>W3C trace id (32 hex characters) joining webhook, job, model call and send; set by the hub when empty.</summary>
    public string? TraceId { get; init; }

    /// <summary>The platform payload as received (JSON or XML text), for what the unified format lacks; may be
    /// <see langword="null"/> when the adapter chooses not to keep it.</summary>
    public string? RawPayload { get; init; }

    /// <summary>The idempotency key of this delivery: <c>{channel}:{account}:{platform message id}</c>.</summary>
    public string IdempotencyKey => string.Concat(Channel, ":", AccountId, ":", PlatformMessageId);

    /// <summary>Where a reply to this message goes: same chat, same thread, replying to the message.</summary>
    public DeliveryTarget ReplyTarget => new(Channel, AccountId, Chat.Id, Chat.ThreadId, NativeMessageId, Chat.Kind, ReplyContext);
}
