using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Telegram;

/// <summary>One message-sized piece of an answer: the text to send, its parse mode, and the plain-text fallback used
/// when Telegram rejects the entities.</summary>
internal sealed record TelegramChunk(string Text, ParseMode ParseMode, string PlainText);
