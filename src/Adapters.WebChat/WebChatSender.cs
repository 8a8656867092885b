using System.Net;

namespace OpenClaw.Channels.WebChat;

/// <summary>Sends to the web chat page: an answer becomes a <c>message</c> event on the event streams the chat's
/// browser has open on this node, rendered from Markdown to safe HTML. A send with
/// <see cref="OutboundMessage.EditMessageId"/> replaces that message on the page, which is how the hub streams an
/// answer as it is generated (placeholder, growing text, final text). Nothing is stored here: after a reload the page
/// reads the conversation from the transcript (<see cref="IConversationHistory"/>).</summary>
public sealed class WebChatSender : IChannelSender
{
    private static readonly ChannelCapabilities WebCapabilities = new()
    {
        // One page message holds any answer; the hub streams edits while the text fits this.
        MaxTextLength = 100_000,
        SupportsEdit = true,
        PrefersStreaming = true,
        SupportsTyping = false,
        SupportsThreads = false,
    };

    private readonly WebChatConnections _connections;

    internal WebChatSender(WebChatConnections connections) => _connections = connections;

    /// <inheritdoc />
    public string Channel => WebChatOptions.ChannelName;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities => WebCapabilities;

    /// <summary>Publishes the message to the chat's open streams; a browser with none open misses the live event and
    /// sees the answer on its next load. Never throws for a closed page.</summary>
    /// <param name="message">The message; <see cref="OutboundMessage.Target"/>'s chat id is the browser session's chat id.</param>
    /// <param name="cancellationToken">Unused: publishing does not wait.</param>
    /// <returns>One id: <see cref="OutboundMessage.EditMessageId"/> when set, else a new sortable id.</returns>
    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = message.EditMessageId ?? SortableId.NewId();
        var html = message.Format == TextFormat.Markdown
            ? WebChatMarkdown.ToHtml(message.Text)
            : "<p>" + WebUtility.HtmlEncode(message.Text) + "</p>";

        // The hub's last send of a turn answers the inbound message; placeholders and streamed edits do not.
        var final = message.InReplyToMessageId is not null;
        _connections.Publish(message.Target.ChatId, new WebChatEvent("message", id, html, final));
        return Task.FromResult(new SendResult([id]));
    }

    /// <inheritdoc />
    public Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        _connections.Publish(target.ChatId, new WebChatEvent("typing", null, null, false));
        return Task.CompletedTask;
    }
}
