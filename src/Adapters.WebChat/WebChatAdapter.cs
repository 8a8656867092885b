using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WebChat;

/// <summary>The web chat channel (<c>webchat</c>) as the hub sees it: every browser session is a direct chat that may
/// talk to the agent, answered through the <see cref="WebChatSender"/>.</summary>
/// <param name="sender">The web chat sender.</param>
/// <param name="options">Web chat options.</param>
public sealed class WebChatAdapter(WebChatSender sender, IOptions<WebChatOptions> options)
    : ChannelAdapter(WebChatOptions.ChannelName, options.Value.ToPolicy(), sender);
