namespace OpenClaw.Channels.Telegram;

/// <summary>The bot's own identity from <c>getMe</c> (core.telegram.org/bots/api#getme).</summary>
/// <param name="Id">The bot's user id (also the numeric prefix of its token).</param>
/// <param name="Username">The bot's username without <c>@</c>.</param>
public sealed record TelegramBotInfo(long Id, string Username);
