namespace OpenClaw.Channels.WebChat;

/// <summary>The body of <c>POST /webchat/api/messages</c>: <c>{"id":"…","text":"…"}</c>.</summary>
/// <param name="Id">The client's message id (1–64 of <c>A–Z a–z 0–9 - _</c>), the same on every retry of one message:
/// the dedupe key.</param>
/// <param name="Text">The message text; a leading <c>/</c> makes it a command (<c>/reset</c>).</param>
internal sealed record WebChatPostedMessage(string? Id, string? Text);
