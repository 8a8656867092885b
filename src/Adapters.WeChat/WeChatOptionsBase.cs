using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.WeChat;

/// <summary>What <see cref="WeChatOptions"/> (Official Account, <c>wechat</c>) and <see cref="WeComOptions"/> (WeCom
/// app, <c>wecom</c>) share: the callback token, the API base URL, the passive-reply window, text limits and the
/// allowlist. Both channels are one-to-one chats, so there is no mention gating and no bot senders.</summary>
public abstract class WeChatOptionsBase
{
    /// <summary>Creates the options with the platform's API base URL as default.</summary>
    /// <param name="defaultApiBaseUrl">The default of <see cref="ApiBaseUrl"/>.</param>
    protected WeChatOptionsBase(string defaultApiBaseUrl) => ApiBaseUrl = defaultApiBaseUrl;

    /// <summary>The callback Token (令牌) of the server configuration, used for <c>signature</c> and
    /// <c>msg_signature</c>. Required.</summary>
    [Required]
    public string Token { get; set; } = string.Empty;

    /// <summary>Base URL of the API; default <c>https://api.weixin.qq.com</c> (WeChat) or
    /// <c>https://qyapi.weixin.qq.com</c> (WeCom).</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; }

    /// <summary>How long a callback waits for the agent's answer to return it as the passive reply, in ms; default
    /// 4000 (the platform drops the request after 5 s). After that the callback answers <c>success</c> and the answer
    /// goes through the send API.</summary>
    [Range(0, 4800)]
    public int PassiveReplyWindowMs { get; set; } = 4000;

    /// <summary>Text sent as the passive reply to a <c>subscribe</c> event; empty sends nothing.</summary>
    public string? WelcomeText { get; set; }

    /// <summary>Largest text of one message, in UTF-8 bytes; default 2000 (WeCom truncates text beyond 2048 bytes; the
    /// Official Account's limit is undocumented, about 2048 has been reported).</summary>
    [Range(64, 2048)]
    public int MaxTextBytes { get; set; } = 2000;

    /// <summary>Lets the sender fetch Markdown image URLs from the model's answer on loopback, private and link-local
    /// networks (an intranet image host). Default false: such URLs are refused before any request (server-side request
    /// forgery guard, see <c>PublicNetworkGuard</c>) and the image is posted as its link.</summary>
    public bool AllowPrivateMediaHosts { get; set; }

    /// <summary>Note that ends an answer cut to fit the channel's <c>MaxMessagesPerAnswer</c>; default
    /// <c>(回答过长，已截断 / answer shortened)</c>.</summary>
    [Required]
    public string ShortenedNote { get; set; } = "(回答过长，已截断 / answer shortened)";

    /// <summary>Sender ids (OpenIDs on WeChat, UserIDs on WeCom) allowed to talk to the bot; empty means everyone.</summary>
    public IList<string> AllowFrom { get; } = [];

    /// <summary>How long before its expiry a cached access token is refreshed, in seconds; default 300. Capped at
    /// half the token's lifetime.</summary>
    [Range(0, 3600)]
    public int TokenRefreshMarginSeconds { get; set; } = 300;
}
