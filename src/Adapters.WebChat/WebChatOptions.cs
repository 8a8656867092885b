using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.WebChat;

/// <summary>Options of the web chat, bound from the <c>Channels:WebChat</c> configuration section. The channel is on by
/// default and answers only local requests (loopback, no forwarding headers) unless <see cref="AllowRemote"/> is set
/// together with an <see cref="AccessToken"/>.</summary>
public sealed class WebChatOptions
{
    /// <summary>The channel name in messages and session keys, <c>webchat</c>.</summary>
    public const string ChannelName = "webchat";

    /// <summary>When false the hub neither registers the channel nor maps the page. Default true. Read by the host.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When true, requests from other machines (or through a reverse proxy) are served when they carry
    /// <see cref="AccessToken"/>. Default false: only local requests are served, anything else gets 403.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>The shared secret a remote browser presents once as <c>/?token=…</c> (kept in an HTTP-only cookie after
    /// that) or on every request as <c>Authorization: Bearer …</c>. Required, at least 16 characters, when
    /// <see cref="AllowRemote"/> is true. Never logged.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The account id in messages (<see cref="ChannelMessage.AccountId"/>). Default <c>web</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string AccountId { get; set; } = "web";

    /// <summary>Longest message a browser may send, in UTF-16 characters; longer ones get 400. Default 8,000.</summary>
    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 8_000;

    /// <summary>How many past messages (user and assistant) the page shows after a reload. Default 100.</summary>
    [Range(1, 1_000)]
    public int HistoryEntries { get; set; } = 100;

    /// <summary>Interval of the comment line the event stream sends while idle, so proxies keep the connection open.
    /// In ms; default 15,000 (15 s); 1,000 to 300,000. (Was <c>KeepAliveInterval</c>, a <see cref="TimeSpan"/>; that key
    /// still works.)</summary>
    public int KeepAliveIntervalMs { get; set; } = 15_000;

    /// <summary><see cref="KeepAliveIntervalMs"/> as a duration.</summary>
    internal TimeSpan KeepAliveInterval => TimeSpan.FromMilliseconds(KeepAliveIntervalMs);

    /// <summary>The policy the hub applies: every browser session is a direct chat and may talk to the agent.</summary>
    internal ChannelPolicy ToPolicy() => new() { RequireMention = false, AllowBots = false };
}
