using System.Text;

namespace OpenClaw.Channels.Agent;

/// <summary>Turns channel messages into the user text the model sees and the transcript keeps.</summary>
internal static class AgentMessageFormatter
{
    /// <summary>Formats one message: in group chats the sender's display name (or id) and <c>": "</c> come first; the text
    /// follows; each attachment adds a short note such as <c>[image attached]</c> on its own line.</summary>
    public static string Format(ChannelMessage message)
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

            sb.Append(Describe(attachment));
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

    private static string Describe(Attachment attachment) => attachment.Kind switch
    {
        AttachmentKind.Image => "[image attached]",
        AttachmentKind.Audio => "[audio attached]",
        AttachmentKind.Video => "[video attached]",
        AttachmentKind.Location => string.IsNullOrEmpty(attachment.Name) ? "[location attached]" : $"[location: {attachment.Name}]",
        AttachmentKind.Link => string.IsNullOrEmpty(attachment.Url) ? "[link attached]" : $"[link: {attachment.Url}]",
        _ => string.IsNullOrEmpty(attachment.Name) ? "[file attached]" : $"[file attached: {attachment.Name}]",
    };
}
