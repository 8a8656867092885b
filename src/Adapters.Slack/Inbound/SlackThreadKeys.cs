namespace OpenClaw.Channels.Slack;

/// <summary>Keys the adapter keeps in <see cref="IChannelStateStore"/>.</summary>
internal static class SlackThreadKeys
{
    /// <summary>Marks a thread the bot replied in: <c>slack:{team}:thread:{channel}:{thread_ts}</c>.</summary>
    public static string Participation(string accountId, string channelId, string threadTs)
        => string.Concat("slack:", accountId, ":thread:", channelId, ":", threadTs);
}
