namespace OpenClaw.Channels.WebChat;

/// <summary>One event for the page's event stream (Server-Sent Events).</summary>
/// <param name="Type">The SSE event name: <c>message</c> (an assistant message, new or replacing the one with the same
/// id) or <c>typing</c>.</param>
/// <param name="Id">The message id (the platform message id the sender returned); null for <c>typing</c>.</param>
/// <param name="Html">The message rendered by <see cref="WebChatMarkdown"/>, or its text HTML-escaped when plain.</param>
/// <param name="Final">True when this is the answer's last version (the send that answers the inbound message).</param>
internal sealed record WebChatEvent(string Type, string? Id, string? Html, bool Final);
