using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.WeChat;

/// <summary>Settings of the WeChat Official Account (公众号) channel <c>wechat</c>, bound from the configuration
/// section <c>Channels:WeChat</c>. Follows developers.weixin.qq.com/doc/offiaccount (Access_Overview,
/// Passive_user_reply_message, Customer_Service_Messages, Get_access_token).</summary>
public sealed class WeChatOptions
{
    /// <summary>The server-configuration Token (令牌) used for <c>signature</c> and <c>msg_signature</c>. Required.</summary>
    [Required]
    public string Token { get; set; } = string.Empty;

    /// <summary>The account's AppId (<c>wx…</c>); also the account id of messages and the receive id checked in safe mode. Required.</summary>
    [Required]
    public string AppId { get; set; } = string.Empty;

    /// <summary>The AppSecret used to fetch access tokens. Required. Never logged.</summary>
    [Required]
    public string AppSecret { get; set; } = string.Empty;

    /// <summary>The 43-character EncodingAESKey (<c>[A-Za-z0-9]</c>) for safe mode (<c>encrypt_type=aes</c>);
    /// empty accepts plaintext callbacks only.</summary>
    [RegularExpression("^([A-Za-z0-9]{43})?$", ErrorMessage = "must be 43 characters (letters and digits), as shown in the platform console")]
    public string? EncodingAESKey { get; set; }

    /// <summary>Base URL of the API; default <c>https://api.weixin.qq.com</c>.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>How long a callback waits for the agent's answer to return it as the passive reply, in ms; default
    /// 4000 (WeChat drops the request after 5 s). After that the callback answers <c>success</c> and the answer goes
    /// through the customer-service API.</summary>
    [Range(0, 4800)]
    public int PassiveReplyWindowMs { get; set; } = 4000;

    /// <summary>Text sent as the passive reply to a <c>subscribe</c> event; empty sends nothing.</summary>
    public string? WelcomeText { get; set; }

    /// <summary>Largest text of one message, in UTF-8 bytes; default 2000 (about 2048 has been reported, the limit is undocumented).</summary>
    [Range(64, 2048)]
    public int MaxTextBytes { get; set; } = 2000;

    /// <summary>Most messages one answer may use; default 3 (the quota is 5 customer-service messages within 48 h
    /// after the user writes). A longer answer is shortened and ends with <see cref="ShortenedNote"/>.</summary>
    [Range(1, 5)]
    public int MaxMessagesPerAnswer { get; set; } = 3;

    /// <summary>Note that ends an answer cut to fit <see cref="MaxMessagesPerAnswer"/>; default
    /// <c>(回答过长，已截断 / answer shortened)</c>.</summary>
    [Required]
    public string ShortenedNote { get; set; } = "(回答过长，已截断 / answer shortened)";

    /// <summary>OpenIDs allowed to talk to the bot; empty means everyone.</summary>
    public IList<string> AllowFrom { get; } = [];

    /// <summary>When true (default) tokens come from <c>POST /cgi-bin/stable_token</c>; otherwise from <c>GET /cgi-bin/token</c>.</summary>
    public bool UseStableToken { get; set; } = true;

    /// <summary>How long before its expiry a cached access token is refreshed, in seconds; default 300. Capped at
    /// half the token's lifetime.</summary>
    [Range(0, 3600)]
    public int TokenRefreshMarginSeconds { get; set; } = 300;
}
