namespace OpenClaw.Channels;

/// <summary>
/// A stable session key in OpenClaw's convention: <c>agent:{agentId}:{channel}:{kind}:{chatId}</c>, with
/// <c>:thread:{threadId}</c> appended for threads and topics, e.g. <c>agent:main:telegram:direct:123456</c> or
/// <c>agent:main:slack:group:C024BE91L:thread:1712345678.000100</c>. Chat kinds are <c>direct</c>, <c>group</c>
/// and <c>channel</c>.
/// </summary>
/// <param name="Value">The key string.</param>
public readonly record struct SessionKey(string Value)
{
    /// <summary>The default agent id, <c>main</c>.</summary>
    public const string DefaultAgentId = "main";

    /// <summary>Builds the session key of an inbound message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="agentId">Agent id; default <c>main</c>.</param>
    /// <param name="directScope">Whether direct chats get their own session or share the main one.</param>
    public static SessionKey For(ChannelMessage message, string agentId = DefaultAgentId, DirectSessionScope directScope = DirectSessionScope.PerPeer)
        => For(message.Channel, message.Chat.Kind, message.Chat.Id, message.Chat.ThreadId, agentId, directScope);

    /// <summary>Builds the session key of a delivery target (cron jobs posting into a chat).</summary>
    /// <param name="target">The target.</param>
    /// <param name="agentId">Agent id; default <c>main</c>.</param>
    public static SessionKey For(DeliveryTarget target, string agentId = DefaultAgentId)
        => For(target.Channel, target.ChatKind, target.ChatId, target.ThreadId, agentId, DirectSessionScope.PerPeer);

    /// <summary>Builds a session key from its parts.</summary>
    /// <param name="channel">Channel name.</param>
    /// <param name="kind">Chat kind.</param>
    /// <param name="chatId">Platform chat id.</param>
    /// <param name="threadId">Thread or topic id, or <see langword="null"/>.</param>
    /// <param name="agentId">Agent id.</param>
    /// <param name="directScope">Direct-chat scope.</param>
    /// <exception cref="ArgumentException"><paramref name="channel"/> or <paramref name="chatId"/> is empty.</exception>
    public static SessionKey For(string channel, ChatKind kind, string chatId, string? threadId, string agentId = DefaultAgentId, DirectSessionScope directScope = DirectSessionScope.PerPeer)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(chatId);
        if (kind == ChatKind.Direct && directScope == DirectSessionScope.Main)
        {
            return new SessionKey(string.Concat("agent:", agentId, ":main"));
        }

        var kindName = kind switch
        {
            ChatKind.Direct => "direct",
            ChatKind.Group => "group",
            _ => "channel",
        };
        var key = string.Concat("agent:", agentId, ":", channel, ":", kindName, ":", chatId);
        return new SessionKey(string.IsNullOrEmpty(threadId) ? key : string.Concat(key, ":thread:", threadId));
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
