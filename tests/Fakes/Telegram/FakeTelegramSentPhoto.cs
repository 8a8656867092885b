namespace OpenClaw.Channels.Fakes.Telegram;

/// <summary>A photo accepted by the fake's <c>sendPhoto</c>.</summary>
/// <param name="MessageId">The message id assigned.</param>
/// <param name="ChatId">The <c>chat_id</c> as sent.</param>
/// <param name="Photo">The <c>photo</c> parameter: an HTTP URL or a file_id.</param>
/// <param name="Caption">The <c>caption</c>, or null.</param>
/// <param name="MessageThreadId">The <c>message_thread_id</c>, or null.</param>
/// <param name="ReplyToMessageId">The replied-to message id, or null.</param>
public sealed record FakeTelegramSentPhoto(long MessageId, string ChatId, string Photo, string? Caption, int? MessageThreadId, int? ReplyToMessageId);
