namespace OpenClaw.Channels;

/// <summary>What a channel can do; the hub and agent adapt to it.</summary>
public sealed record ChannelCapabilities
{
    /// <summary>Largest text of one message, in UTF-16 characters (Telegram 4096, Discord 2000, Slack 4000 recommended).</summary>
    public required int MaxTextLength { get; init; }

    /// <summary>True when a sent message can be edited later (<see cref="OutboundMessage.EditMessageId"/>).</summary>
    public bool SupportsEdit { get; init; }

    /// <summary>True when the platform shows a typing indicator.</summary>
    public bool SupportsTyping { get; init; }

    /// <summary>True when chats have threads or topics.</summary>
    public bool SupportsThreads { get; init; }

    /// <summary>True when the hub should stream answers into the chat: post a placeholder, then edit it with the growing
    /// text (<see cref="OutboundMessage.EditMessageId"/>), about once per second. Requires <see cref="SupportsEdit"/>.</summary>
    public bool PrefersStreaming { get; init; }

    /// <summary>True when the sender sends <see cref="OutboundMessage.Files"/> as native image or file messages (each within
    /// the platform's size limit, a larger one as its placeholder text). False: the hub puts each file's placeholder into
    /// the text instead (<see cref="OutboundSegments.InlinePlaceholders"/>).</summary>
    public bool SupportsFiles { get; init; }

    /// <summary>How often the typing indicator must be repeated to stay visible, in ms (Telegram about 5,000; Discord 10,000).</summary>
    public int TypingIntervalMs { get; init; } = 4000;
}
