namespace OpenClaw.Channels.Fakes.Telegram;

/// <summary>A <c>sendChatAction</c> call the fake received.</summary>
/// <param name="ChatId">The <c>chat_id</c>.</param>
/// <param name="Action">The action, e.g. <c>typing</c>.</param>
/// <param name="MessageThreadId">The <c>message_thread_id</c>, or <see langword="null"/>.</param>
public sealed record FakeTelegramChatAction(string ChatId, string Action, int? MessageThreadId);
