using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.WeChat;

/// <summary>Settings of the WeChat Official Account (公众号) channel <c>wechat</c>, bound from the configuration
/// section <c>Channels:WeChat</c>. Follows developers.weixin.qq.com/doc/offiaccount (Access_Overview,
/// Passive_user_reply_message, Customer_Service_Messages, Get_access_token).</summary>
public sealed class WeChatOptions : WeChatOptionsBase
{
    /// <summary>Creates the options with the defaults below.</summary>
    public WeChatOptions()
        : base("https://api.weixin.qq.com")
    {
    }

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

    /// <summary>Most messages one answer may use; default 3 (the quota is 5 customer-service messages within 48 h
    /// after the user writes). A longer answer is shortened and ends with <see cref="WeChatOptionsBase.ShortenedNote"/>.</summary>
    [Range(1, 5)]
    public int MaxMessagesPerAnswer { get; set; } = 3;

    /// <summary>When true (default) tokens come from <c>POST /cgi-bin/stable_token</c>; otherwise from <c>GET /cgi-bin/token</c>.</summary>
    public bool UseStableToken { get; set; } = true;
}
