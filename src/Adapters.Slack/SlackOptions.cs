using System.ComponentModel.DataAnnotations;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Options of the Slack adapter, bound from the <c>Channels:Slack</c> configuration section.</summary>
public sealed class SlackOptions : ChannelPolicyOptions
{
    /// <summary>The default Web API base URL, <c>https://slack.com/api/</c>.</summary>
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    /// <summary>Bot token (<c>xoxb-…</c>) sent as <c>Authorization: Bearer</c> on Web API calls. Required. Never logged.</summary>
    [Required]
    public string BotToken { get; set; } = string.Empty;

    /// <summary>App-level token (<c>xapp-…</c>, scope <c>connections:write</c>) for <c>apps.connections.open</c>;
    /// required when <see cref="Mode"/> is <see cref="SlackMode.SocketMode"/>. Never logged.</summary>
    public string? AppToken { get; set; }

    /// <summary>Signing secret that verifies <c>X-Slack-Signature</c>; required when <see cref="Mode"/> is
    /// <see cref="SlackMode.Events"/>. Never logged.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Inbound transport. Default <see cref="SlackMode.Events"/>.</summary>
    public SlackMode Mode { get; set; } = SlackMode.Events;

    /// <summary>Web API base URL (a missing trailing <c>/</c> is added); default <see cref="DefaultApiBaseUrl"/>. Tests point it at a fake.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>When true the hub posts a placeholder and updates it (<c>chat.update</c>) as the answer grows. Default false.</summary>
    public bool StreamReplies { get; set; }

    /// <summary>Lets the sender fetch Markdown image URLs from the model's answer on loopback, private and link-local
    /// networks (an intranet image host). Default false: such URLs are refused before any request (server-side request
    /// forgery guard, see <c>PublicNetworkGuard</c>) and the image is posted as its link.</summary>
    public bool AllowPrivateMediaHosts { get; set; }

    /// <summary>The slash command whose text is a question for the agent (configure it in the app with the request URL
    /// <c>/webhooks/slack/commands</c>); default <c>ask</c>. Other slash commands pointed at the hub are handed on as
    /// commands (<c>/reset</c>, <c>/status</c>).</summary>
    [Required]
    public string AskCommandName { get; set; } = "ask";

    /// <summary>How a slash command's answer is shown: <c>in_channel</c> (default: everyone in the channel sees the
    /// command and the answer) or <c>ephemeral</c> (only the user who typed it)
    /// (docs.slack.dev/interactivity/implementing-slash-commands#responding_to_commands).</summary>
    [RegularExpression("^(in_channel|ephemeral)$")]
    public string SlashCommandResponseType { get; set; } = "in_channel";

    /// <summary>Largest text per posted message, in UTF-16 characters. Default 3,900, below Slack's recommended 4,000
    /// (docs.slack.dev/reference/methods/chat.postMessage).</summary>
    [Range(100, 40000)]
    public int MaxTextLength { get; set; } = 3900;

    /// <summary>Messages per second per channel the sender paces to. Default 1 (Slack's special tier for chat.postMessage).</summary>
    [Range(1, 100)]
    public int MessagesPerSecondPerChannel { get; set; } = 1;

    /// <summary>Messages a channel may send at once before pacing starts. Default 3.</summary>
    [Range(1, 100)]
    public int BurstPerChannel { get; set; } = 3;

    /// <summary>Retries of one Web API call after HTTP 429, 5xx or a network failure. Default 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Longest <c>Retry-After</c> a Web API call waits out before retrying. A longer one is not
    /// waited for: the call fails with <see cref="SlackApiException"/> (<c>ratelimited</c>, its
    /// <see cref="ChannelDeliveryException.RetryAfter"/> set), so the hub retries the run later instead of holding the
    /// session lock (like Discord's <c>MaxRetryAfterMs</c>). In seconds (Slack's <c>Retry-After</c> unit); default 30.
    /// (Was <c>MaxRetryAfter</c>, a <see cref="TimeSpan"/>; that key still works.)</summary>
    [Range(0, int.MaxValue)]
    public int MaxRetryAfterSeconds { get; set; } = 30;

    /// <summary>Largest accepted <c>|now − X-Slack-Request-Timestamp|</c>, in seconds. Default 300 (Slack's 5-minute
    /// replay window). (Was <c>SignatureTolerance</c>; that key still works.)</summary>
    public int SignatureToleranceSeconds { get; set; } = 300;

    /// <summary>How long a thread the bot replied in keeps counting as "the bot is part of it", in seconds. Default
    /// 604,800 (7 days). (Was <c>ThreadMemory</c>; that key still works.)</summary>
    [Range(1, int.MaxValue)]
    public int ThreadMemorySeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>Largest accepted webhook body, in bytes (the request size limit of the events, commands and
    /// interactivity endpoints; a larger body is answered 413). Default 1,048,576.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Socket Mode connections of the app across the whole cluster (not per node), each held by one node through
    /// a lease and moved to a live node when its node dies. Slack allows up to 10 per app and spreads the events over
    /// them (docs.slack.dev/apis/events-api/using-socket-mode/). Default 2.</summary>
    [Range(1, 10)]
    public int SocketConnections { get; set; } = 2;

    /// <summary>First Socket Mode reconnect delay after a failure, in ms; doubles per failure with jitter. Default
    /// 1,000. (Was <c>ReconnectDelay</c>, a <see cref="TimeSpan"/>; that key still works.)</summary>
    public int ReconnectDelayMs { get; set; } = 1_000;

    /// <summary>Upper bound of the Socket Mode reconnect delay, in ms. Default 60,000. (Was <c>MaxReconnectDelay</c>;
    /// that key still works.)</summary>
    public int MaxReconnectDelayMs { get; set; } = 60_000;

    /// <summary><see cref="MaxRetryAfterSeconds"/> as a duration.</summary>
    internal TimeSpan MaxRetryAfter => TimeSpan.FromSeconds(MaxRetryAfterSeconds);

    /// <summary><see cref="SignatureToleranceSeconds"/> as a duration.</summary>
    internal TimeSpan SignatureTolerance => TimeSpan.FromSeconds(SignatureToleranceSeconds);

    /// <summary><see cref="ThreadMemorySeconds"/> as a duration.</summary>
    internal TimeSpan ThreadMemory => TimeSpan.FromSeconds(ThreadMemorySeconds);

    /// <summary><see cref="ReconnectDelayMs"/> as a duration.</summary>
    internal TimeSpan ReconnectDelay => TimeSpan.FromMilliseconds(ReconnectDelayMs);

    /// <summary><see cref="MaxReconnectDelayMs"/> as a duration.</summary>
    internal TimeSpan MaxReconnectDelay => TimeSpan.FromMilliseconds(MaxReconnectDelayMs);
}
