using System.Text.Json;

namespace OpenClaw.Channels.WebChat;

/// <summary>One event for the page's event stream (Server-Sent Events), as it travels from the sender to the node holding
/// the browser's stream over <see cref="IChannelBroadcast"/> (JSON, camelCase).</summary>
/// <param name="Type">The SSE event name: <c>message</c> (an assistant message, new or replacing the one with the same
/// id) or <c>typing</c>.</param>
/// <param name="Id">The message id (the platform message id the sender returned); null for <c>typing</c>.</param>
/// <param name="Html">The message rendered by <see cref="WebChatMarkdown"/>, or its text HTML-escaped when plain.</param>
/// <param name="Final">True when this is the answer's last version (the send that answers the inbound message).</param>
internal sealed record WebChatEvent(string Type, string? Id, string? Html, bool Final)
{
    /// <summary>The serializer settings of events on the broadcast and in the stream.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The broadcast topic of a chat's events: <c>webchat:{chatId}</c>.</summary>
    public static string TopicOf(string chatId) => WebChatOptions.ChannelName + ":" + chatId;
}
