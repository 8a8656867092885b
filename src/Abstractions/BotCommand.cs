namespace OpenClaw.Channels;

/// <summary>A bot command parsed from message text, e.g. <c>/status@mybot verbose</c> gives
/// <see cref="Name"/> = <c>status</c> and <see cref="Args"/> = <c>verbose</c>.</summary>
/// <param name="Name">Command name in lower case, without the leading slash and without an <c>@botname</c> suffix.</param>
/// <param name="Args">Everything after the command, trimmed; empty when there is none.</param>
public sealed record BotCommand(string Name, string Args)
{
    /// <summary>Parses <paramref name="text"/> when it starts with <c>/</c>.</summary>
    /// <param name="text">The message text.</param>
    /// <param name="botUsername">The bot's own username (without <c>@</c>); a command addressed to another bot
    /// (<c>/cmd@otherbot</c>) yields <see langword="null"/>. Pass <see langword="null"/> to accept any suffix.</param>
    /// <returns>The command, or <see langword="null"/> when the text is not a command for this bot.</returns>
    public static BotCommand? TryParse(string? text, string? botUsername)
    {
        if (string.IsNullOrEmpty(text) || text[0] != '/' || text.Length < 2)
        {
            return null;
        }

        var end = 1;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        var token = text.AsSpan(1, end - 1);
        var at = token.IndexOf('@');
        if (at >= 0)
        {
            var target = token[(at + 1)..];
            if (botUsername is not null && !target.Equals(botUsername.TrimStart('@'), StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            token = token[..at];
        }

        if (token.IsEmpty)
        {
            return null;
        }

        foreach (var c in token)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return null;
            }
        }

        return new BotCommand(token.ToString().ToLowerInvariant(), text[end..].Trim());
    }
}
