namespace OpenClaw.Channels;

/// <summary>Where an <see cref="OutboundMessage"/> goes.</summary>
/// <param name="Channel">Channel name (<c>telegram</c>, <c>slack</c>, …); selects the <see cref="IChannelSender"/>.</param>
/// <param name="AccountId">Bot account of the channel.</param>
/// <param name="ChatId">The platform's chat id (Telegram chat id, Slack channel id, Discord channel id, WeChat OpenID).</param>
/// <param name="ThreadId">Thread or topic (Telegram <c>message_thread_id</c>, Slack <c>thread_ts</c>); <see langword="null"/> for none.</param>
/// <param name="ReplyToId">Platform message id to reply to; <see langword="null"/> for a plain post.</param>
/// <param name="ChatKind">Kind of the chat when known (senders reply-quote only in groups).</param>
/// <param name="ReplyContext">Opaque adapter-defined handle copied from <see cref="ChannelMessage.ReplyContext"/>
/// (Discord interaction token, WeChat passive-reply slot); <see langword="null"/> for none. Never logged.</param>
public sealed record DeliveryTarget(
    string Channel,
    string AccountId,
    string ChatId,
    string? ThreadId = null,
    string? ReplyToId = null,
    ChatKind ChatKind = ChatKind.Direct,
    string? ReplyContext = null);
