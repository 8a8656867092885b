using System.Globalization;
using System.Text;

namespace OpenClaw.Channels.Agent;

/// <summary>Turns channel messages into the user text the model sees and the transcript keeps.</summary>
internal static class AgentMessageFormatter
{
    /// <summary>Formats one message: in group chats the sender's display name (or id) and <c>": "</c> come first; the text
    /// follows; each attachment adds a short reference such as <c>[image: chart.png, 47 KB]</c> or
    /// <c>[file: report.pdf, 10 MB]</c> on its own line (<paramref name="describe"/> may supply it instead).</summary>
    public static string Format(ChannelMessage message, Func<Attachment, string>? describe = null)
    {
        var sb = new StringBuilder();
        var text = message.Text.Trim();
        if (text.Length > 0)
        {
            sb.Append(text);
        }

        foreach (var attachment in message.Attachments)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(describe is null ? Describe(attachment) : describe(attachment));
        }

        if (sb.Length == 0)
        {
            sb.Append(message.Type == MessageType.Event ? "[event]" : "[empty message]");
        }

        if (message.Chat.Kind == ChatKind.Group)
        {
            var name = string.IsNullOrWhiteSpace(message.Sender.DisplayName) ? message.Sender.Id : message.Sender.DisplayName.Trim();
            sb.Insert(0, name + ": ");
        }

        return sb.ToString();
    }

    /// <summary>The reference to an attachment: <c>[image]</c>, <c>[image: a.png, 47 KB]</c>, <c>[voice message, 11 KB]</c>,
    /// <c>[file: report.pdf, 10 MB]</c>, … with <paramref name="note"/> (e.g. <c>not shown: too large</c>) after a dash.</summary>
    public static string Describe(Attachment attachment, string? note = null)
    {
        switch (attachment.Kind)
        {
            case AttachmentKind.Location:
                return string.IsNullOrEmpty(attachment.Name) ? "[location attached]" : $"[location: {attachment.Name}]";
            case AttachmentKind.Link:
                return string.IsNullOrEmpty(attachment.Url) ? "[link attached]" : $"[link: {attachment.Url}]";
        }

        var label = attachment.Kind switch
        {
            AttachmentKind.Image => "image",
            AttachmentKind.Video => "video",
            AttachmentKind.Audio when string.IsNullOrEmpty(attachment.Name) => "voice message",
            AttachmentKind.Audio => "audio",
            _ => "file",
        };
        var parts = new List<string>(2);
        if (!string.IsNullOrWhiteSpace(attachment.Name))
        {
            parts.Add(attachment.Name.Trim());
        }

        if (attachment.SizeBytes is { } size and >= 0)
        {
            parts.Add(FormatSize(size));
        }

        var sb = new StringBuilder("[").Append(label);
        if (parts.Count > 0)
        {
            sb.Append(parts.Count > 0 && label is "voice message" ? ", " : ": ").AppendJoin(", ", parts);
        }

        if (!string.IsNullOrEmpty(note))
        {
            sb.Append(" — ").Append(note);
        }

        return sb.Append(']').ToString();
    }

    /// <summary>A size for people: <c>512 B</c>, <c>47 KB</c>, <c>5 MB</c>, <c>2.5 MB</c> (1 KB = 1024 bytes).</summary>
    public static string FormatSize(long bytes) => OutboundFile.FormatSize(bytes);
}
