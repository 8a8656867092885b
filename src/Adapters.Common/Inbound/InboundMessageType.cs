namespace OpenClaw.Channels.Adapters;

/// <summary>The <see cref="MessageType"/> of a normalized message whose platform does not say it (Discord, Slack): a
/// command when one was parsed, the first attachment's kind when there is no text, text otherwise.</summary>
public static class InboundMessageType
{
    /// <summary>The message's type.</summary>
    /// <param name="command">The command parsed from the text, or null.</param>
    /// <param name="text">The message's text (trimmed).</param>
    /// <param name="attachments">Its attachments, in order.</param>
    /// <returns><see cref="MessageType.Command"/>; for an empty text with attachments <see cref="MessageType.Image"/>,
    /// <see cref="MessageType.Audio"/>, <see cref="MessageType.Video"/> or <see cref="MessageType.File"/> by the first
    /// attachment; else <see cref="MessageType.Text"/>.</returns>
    public static MessageType Of(BotCommand? command, string text, IReadOnlyList<Attachment> attachments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(attachments);
        if (command is not null)
        {
            return MessageType.Command;
        }

        return text.Length == 0 && attachments.Count > 0 ? Of(attachments[0].Kind) : MessageType.Text;
    }

    /// <summary>The message type of an attachment kind: image, audio and video as themselves, anything else a file.</summary>
    /// <param name="kind">The attachment's kind.</param>
    /// <returns>The message type.</returns>
    public static MessageType Of(AttachmentKind kind) => kind switch
    {
        AttachmentKind.Image => MessageType.Image,
        AttachmentKind.Audio => MessageType.Audio,
        AttachmentKind.Video => MessageType.Video,
        _ => MessageType.File,
    };
}
