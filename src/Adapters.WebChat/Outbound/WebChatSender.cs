using System.Net;
using System.Text.Json;

namespace OpenClaw.Channels.WebChat;

/// <summary>Sends to the web chat page: an answer becomes a <c>message</c> event for the chat's open event streams on
/// every node (through <see cref="IChannelBroadcast"/>), rendered from Markdown to safe HTML. A send with
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

    private readonly IChannelBroadcast _broadcast;

    /// <summary>Creates the sender.</summary>
    /// <param name="broadcast">Reaches the nodes holding the browsers' event streams (the hub supplies it).</param>
    public WebChatSender(IChannelBroadcast broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        _broadcast = broadcast;
    }

    /// <inheritdoc />
    public string Channel => WebChatOptions.ChannelName;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities => WebCapabilities;

    /// <summary>Publishes the message to the chat's open streams; a browser with none open misses the live event and
    /// sees the answer on its next load.</summary>
    /// <param name="message">The message; <see cref="OutboundMessage.Target"/>'s chat id is the browser session's chat id.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>One id: <see cref="OutboundMessage.EditMessageId"/> when set, else a new sortable id.</returns>
    /// <exception cref="ChannelDeliveryException">The broadcast failed (Redis unreachable); transient.</exception>
    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = message.EditMessageId ?? SortableId.NewId();
        var html = message.Format == TextFormat.Markdown
            ? WebChatMarkdown.ToHtml(message.Text)
            : "<p>" + WebUtility.HtmlEncode(message.Text) + "</p>";

        // The hub's last send of a turn answers the inbound message; placeholders and streamed edits do not.
        var final = message.InReplyToMessageId is not null;
        await PublishAsync(message.Target.ChatId, new WebChatEvent("message", id, html, final), cancellationToken).ConfigureAwait(false);
        return new SendResult([id]);
    }

    /// <inheritdoc />
    public async Task SendTypingAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            await PublishAsync(target.ChatId, new WebChatEvent("typing", null, null, false), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelDeliveryException)
        {
            // typing is cosmetic
        }
    }

    private async Task PublishAsync(string chatId, WebChatEvent @event, CancellationToken cancellationToken)
    {
        try
        {
            await _broadcast.PublishAsync(WebChatEvent.TopicOf(chatId), JsonSerializer.Serialize(@event, WebChatEvent.Json), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ChannelDeliveryException("Publishing a web chat event failed.", ex) { IsTransient = true };
        }
    }
}
