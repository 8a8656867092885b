namespace OpenClaw.Channels;

/// <summary>The conversation a message belongs to.</summary>
/// <param name="Id">The platform's chat id as a string (Telegram chat id, Slack channel id, Discord channel id, WeChat OpenID).</param>
/// <param name="Kind">Direct, group or channel.</param>
/// <param name="ThreadId">Thread or topic inside the chat, when the platform has one (Telegram <c>message_thread_id</c>,
/// Slack <c>thread_ts</c>, Discord thread channel id); <see langword="null"/> for the main timeline.</param>
/// <param name="Title">Human-readable chat title when the platform sends one.</param>
public sealed record ChatRef(string Id, ChatKind Kind, string? ThreadId = null, string? Title = null);
