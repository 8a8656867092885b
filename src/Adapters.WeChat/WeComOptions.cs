using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.WeChat;

/// <summary>Settings of the WeCom (企业微信) self-built app channel <c>wecom</c>, bound from the configuration section
/// <c>Channels:WeCom</c>. Follows developer.work.weixin.qq.com/document/path/90930 (callbacks), 90968 (crypto) and
/// 90236 (message/send).</summary>
public sealed class WeComOptions
{
    /// <summary>The corporation id (<c>CorpID</c>); the receive id checked on every callback. Required.</summary>
    [Required]
    public string CorpId { get; set; } = string.Empty;

    /// <summary>The app's Secret used with <c>/cgi-bin/gettoken</c>. Required. Never logged.</summary>
    [Required]
    public string CorpSecret { get; set; } = string.Empty;

    /// <summary>The app's AgentId. Required.</summary>
    [Range(1, int.MaxValue)]
    public int AgentId { get; set; }

    /// <summary>The callback Token used for <c>msg_signature</c>. Required.</summary>
    [Required]
    public string Token { get; set; } = string.Empty;

    /// <summary>The callback's 43-character EncodingAESKey (<c>[A-Za-z0-9]</c>); WeCom callbacks are always encrypted. Required.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9]{43}$", ErrorMessage = "must be 43 characters (letters and digits), as shown in the platform console")]
    public string EncodingAESKey { get; set; } = string.Empty;

    /// <summary>Base URL of the API; default <c>https://qyapi.weixin.qq.com</c>.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = "https://qyapi.weixin.qq.com";

    /// <summary>How long a callback waits for the agent's answer to return it as the passive reply, in ms; default 4000.</summary>
    [Range(0, 4800)]
    public int PassiveReplyWindowMs { get; set; } = 4000;

    /// <summary>Text sent as the passive reply to a <c>subscribe</c> event; empty sends nothing.</summary>
    public string? WelcomeText { get; set; }

    /// <summary>Largest text of one message, in UTF-8 bytes; default 2000 (WeCom truncates text beyond 2048 bytes).</summary>
    [Range(64, 2048)]
    public int MaxTextBytes { get; set; } = 2000;

    /// <summary>Most messages one answer may use; default 3. A longer answer is shortened and ends with <see cref="ShortenedNote"/>.</summary>
    [Range(1, 30)]
    public int MaxMessagesPerAnswer { get; set; } = 3;

    /// <summary>Note that ends an answer cut to fit <see cref="MaxMessagesPerAnswer"/>.</summary>
    [Required]
    public string ShortenedNote { get; set; } = "(回答过长，已截断 / answer shortened)";

    /// <summary>UserIDs allowed to talk to the bot; empty means everyone.</summary>
    public IList<string> AllowFrom { get; } = [];

    /// <summary>How long before its expiry a cached access token is refreshed, in seconds; default 300.</summary>
    [Range(0, 3600)]
    public int TokenRefreshMarginSeconds { get; set; } = 300;
}
