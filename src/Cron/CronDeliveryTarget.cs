namespace OpenClaw.Channels.Cron;

/// <summary>Where a cron job's answer is posted; mirrors <see cref="DeliveryTarget"/> in a bindable shape.</summary>
public sealed class CronDeliveryTarget
{
    /// <summary>Channel name of a registered adapter (<c>telegram</c>, <c>slack</c>, …). Required.</summary>
    public string Channel { get; set; } = string.Empty;

    /// <summary>Bot account of the channel (may be empty for single-account channels).</summary>
    public string AccountId { get; set; } = string.Empty;

    /// <summary>The platform's chat id (Telegram chat id, Slack channel id, …). Required.</summary>
    public string ChatId { get; set; } = string.Empty;

    /// <summary>Thread or topic (Slack <c>thread_ts</c>, Telegram <c>message_thread_id</c>); empty for none.</summary>
    public string? ThreadId { get; set; }

    /// <summary>Kind of the chat. Default <see cref="ChatKind.Direct"/>.</summary>
    public ChatKind ChatKind { get; set; } = ChatKind.Direct;

    /// <summary>The abstraction's target for the sender.</summary>
    public DeliveryTarget ToDeliveryTarget() => new(Channel, AccountId, ChatId, string.IsNullOrEmpty(ThreadId) ? null : ThreadId, ChatKind: ChatKind);

    /// <summary>Copies a chat's target (the agent tool schedules to the chat it is asked in).</summary>
    /// <param name="target">The turn's target.</param>
    public static CronDeliveryTarget From(DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new() { Channel = target.Channel, AccountId = target.AccountId, ChatId = target.ChatId, ThreadId = target.ThreadId, ChatKind = target.ChatKind };
    }
}
