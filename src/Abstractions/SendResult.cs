namespace OpenClaw.Channels;

/// <summary>What a send produced.</summary>
/// <param name="PlatformMessageIds">The platform ids of the messages posted, one per chunk, in order
/// (Telegram <c>message_id</c>, Slack <c>ts</c>, Discord message id); empty when the platform returns none.</param>
public sealed record SendResult(IReadOnlyList<string> PlatformMessageIds)
{
    /// <summary>A result with no ids.</summary>
    public static SendResult Empty { get; } = new([]);
}
