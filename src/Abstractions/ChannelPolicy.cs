namespace OpenClaw.Channels;

/// <summary>Inbound policy the hub applies to a channel's messages before routing.</summary>
public sealed record ChannelPolicy
{
    /// <summary>In group chats answer only when the bot is mentioned, replied to, or commanded. Default true.
    /// Direct chats are always answered.</summary>
    public bool RequireMention { get; init; } = true;

    /// <summary>Sender ids allowed to talk to the bot; empty means everyone.</summary>
    public IReadOnlyCollection<string> AllowFrom { get; init; } = [];

    /// <summary>When false (default), messages whose sender is a bot are ignored.</summary>
    public bool AllowBots { get; init; }

    /// <summary>Decides whether the hub should answer <paramref name="message"/>.</summary>
    /// <param name="message">A normalized inbound message.</param>
    /// <returns><see langword="null"/> to answer, or a short reason (<c>not-mentioned</c>, <c>not-allowed</c>, <c>bot</c>) to ignore it.</returns>
    public string? Evaluate(ChannelMessage message)
    {
        if (message.Sender.IsBot && !AllowBots)
        {
            return "bot";
        }

        if (AllowFrom.Count > 0 && !AllowFrom.Contains(message.Sender.Id))
        {
            return "not-allowed";
        }

        if (RequireMention && message.Chat.Kind != ChatKind.Direct
            && !message.MentionsBot && !message.RepliesToBot && message.Command is null)
        {
            return "not-mentioned";
        }

        return null;
    }
}
