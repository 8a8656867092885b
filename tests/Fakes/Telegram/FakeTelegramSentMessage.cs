namespace OpenClaw.Channels.Fakes.Telegram;

/// <summary>A message the bot sent (<c>sendMessage</c>) or edited (<c>editMessageText</c>) through the fake.</summary>
/// <param name="MessageId">The <c>message_id</c> the fake assigned.</param>
/// <param name="ChatId">The <c>chat_id</c> as sent.</param>
/// <param name="Text">The text as sent (HTML source when <paramref name="ParseMode"/> is HTML).</param>
/// <param name="PlainText">The text after entity parsing (what Telegram displays and counts against 4096).</param>
/// <param name="ParseMode">The <c>parse_mode</c>, or <see langword="null"/>.</param>
/// <param name="MessageThreadId">The <c>message_thread_id</c>, or <see langword="null"/>.</param>
/// <param name="ReplyToMessageId">From <c>reply_parameters.message_id</c> (or legacy <c>reply_to_message_id</c>).</param>
/// <param name="AllowSendingWithoutReply">From <c>reply_parameters.allow_sending_without_reply</c>.</param>
public sealed record FakeTelegramSentMessage(
    long MessageId,
    string ChatId,
    string Text,
    string PlainText,
    string? ParseMode,
    int? MessageThreadId,
    int? ReplyToMessageId,
    bool? AllowSendingWithoutReply);
