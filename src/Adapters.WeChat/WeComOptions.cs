using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.WeChat;

/// <summary>Settings of the WeCom (企业微信) self-built app channel <c>wecom</c>, bound from the configuration section
/// <c>Channels:WeCom</c>. Follows developer.work.weixin.qq.com/document/path/90930 (callbacks), 90968 (crypto) and
/// 90236 (message/send).</summary>
public sealed class WeComOptions : WeChatOptionsBase
{
    /// <summary>Creates the options with the defaults below.</summary>
    public WeComOptions()
        : base("https://qyapi.weixin.qq.com")
    {
    }

    /// <summary>The corporation id (<c>CorpID</c>); the receive id checked on every callback. Required.</summary>
    [Required]
    public string CorpId { get; set; } = string.Empty;

    /// <summary>The app's Secret used with <c>/cgi-bin/gettoken</c>. Required. Never logged.</summary>
    [Required]
    public string CorpSecret { get; set; } = string.Empty;

    /// <summary>The app's AgentId. Required.</summary>
    [Range(1, int.MaxValue)]
    public int AgentId { get; set; }

    /// <summary>The callback's 43-character EncodingAESKey (<c>[A-Za-z0-9]</c>); WeCom callbacks are always encrypted. Required.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9]{43}$", ErrorMessage = "must be 43 characters (letters and digits), as shown in the platform console")]
    public string EncodingAESKey { get; set; } = string.Empty;

    /// <summary>Most messages one answer may use; default 3. A longer answer is shortened and ends with <see cref="WeChatOptionsBase.ShortenedNote"/>.</summary>
    [Range(1, 30)]
    public int MaxMessagesPerAnswer { get; set; } = 3;
}
