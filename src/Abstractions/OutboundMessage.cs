namespace OpenClaw.Channels;

/// <summary>One outbound message from the hub to a platform. The sender formats, chunks to the platform's
/// <see cref="ChannelCapabilities.MaxTextLength"/>, rate-limits and retries it.</summary>
public sealed record OutboundMessage
{
    /// <summary>Where it goes.</summary>
    public required DeliveryTarget Target { get; init; }

    /// <summary>The text; may be longer than the platform limit (the sender splits it in order).</summary>
    public required string Text { get; init; }

    /// <summary>How <see cref="Text"/> is written. Default <see cref="TextFormat.Markdown"/>, what models produce.</summary>
    public TextFormat Format { get; init; } = TextFormat.Markdown;

    /// <summary>Files to send with the text; empty for none.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>Files carried as bytes (a tool's result), sent as native image or file messages where
    /// <see cref="ChannelCapabilities.SupportsFiles"/> is true, in order with the text: a file goes where the text
    /// references it as <c>![alt](attachment:NAME)</c>, else after the text (<see cref="OutboundSegments.Split"/>). Empty
    /// for none.</summary>
    public IReadOnlyList<OutboundFile> Files { get; init; } = [];

    /// <summary>When set, edit this platform message instead of posting a new one (streamed updates);
    /// only honoured where <see cref="ChannelCapabilities.SupportsEdit"/> is true.</summary>
    public string? EditMessageId { get; init; }

    /// <summary>The inbound message this answers, when there is one (for tracing and passive replies).</summary>
    public string? InReplyToMessageId { get; init; }

    /// <summary>Trace id joining this send to its inbound message.</summary>
    public string? TraceId { get; init; }
}
