using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.WebChat;

/// <summary>The web chat channel (<c>webchat</c>) as the hub sees it: every browser session is a direct chat that may
/// talk to the agent, answered through the <see cref="WebChatSender"/>.</summary>
public sealed class WebChatAdapter : IChannelAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <param name="sender">The web chat sender.</param>
    /// <param name="options">Web chat options.</param>
    public WebChatAdapter(WebChatSender sender, IOptions<WebChatOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(options);
        Sender = sender;
        Policy = options.Value.ToPolicy();
    }

    /// <inheritdoc />
    public string Channel => WebChatOptions.ChannelName;

    /// <inheritdoc />
    public ChannelPolicy Policy { get; }

    /// <inheritdoc />
    public IChannelSender Sender { get; }
}
