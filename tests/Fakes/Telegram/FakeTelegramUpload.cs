namespace OpenClaw.Channels.Fakes.Telegram;

/// <summary>A file uploaded as <c>multipart/form-data</c> to the fake's <c>sendPhoto</c> or <c>sendDocument</c>
/// (core.telegram.org/bots/api#sending-files: the file is a form part with a file name, named after the parameter,
/// <c>photo</c> or <c>document</c>, or referenced from it as <c>attach://NAME</c>).</summary>
/// <param name="MessageId">The message id assigned.</param>
/// <param name="Method"><c>sendPhoto</c> or <c>sendDocument</c>.</param>
/// <param name="ChatId">The <c>chat_id</c> as sent.</param>
/// <param name="FileName">The part's file name.</param>
/// <param name="ContentType">The part's <c>Content-Type</c>, or null.</param>
/// <param name="Bytes">The file's bytes as received.</param>
/// <param name="Caption">The <c>caption</c>, or null.</param>
/// <param name="MessageThreadId">The <c>message_thread_id</c>, or null.</param>
/// <param name="ReplyToMessageId">The replied-to message id, or null.</param>
public sealed record FakeTelegramUpload(
    long MessageId,
    string Method,
    string ChatId,
    string FileName,
    string? ContentType,
    byte[] Bytes,
    string? Caption,
    int? MessageThreadId,
    int? ReplyToMessageId);
