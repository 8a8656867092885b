namespace OpenClaw.Channels;

/// <summary>Who sent a message.</summary>
/// <param name="Id">The platform's user id as a string.</param>
/// <param name="DisplayName">Name to show, e.g. Telegram <c>first_name last_name</c> or <c>@username</c>; may be empty.</param>
/// <param name="IsBot">True when the platform marks the sender as a bot.</param>
public sealed record SenderRef(string Id, string DisplayName, bool IsBot = false);
