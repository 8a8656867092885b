using System.ComponentModel.DataAnnotations;
using OpenClaw.Channels.Adapters;
using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Telegram;

/// <summary>Settings of the Telegram channel, bound from the configuration section <c>Channels:Telegram</c>.
/// Validated at start (<see cref="TelegramOptionsValidator"/>).</summary>
public sealed class TelegramOptions : ChannelPolicyOptions
{
    /// <summary>The configuration section name, <c>Channels:Telegram</c>.</summary>
    public const string SectionName = "Channels:Telegram";

    /// <summary>When false, <c>AddTelegramChannel</c> registers nothing (the channel is off). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The bot token from @BotFather, shaped <c>{botId}:{secret}</c>. Required when the channel is enabled.
    /// Never logged.</summary>
    public string BotToken { get; set; } = string.Empty;

    /// <summary>How updates arrive. Default <see cref="TelegramMode.Polling"/>.</summary>
    public TelegramMode Mode { get; set; } = TelegramMode.Polling;

    /// <summary>The <c>secret_token</c> given to <c>setWebhook</c> and expected in the
    /// <c>X-Telegram-Bot-Api-Secret-Token</c> header: 1–256 characters of <c>A-Z a-z 0-9 _ -</c>.
    /// Required in <see cref="TelegramMode.Webhook"/> mode. Never logged.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Public HTTPS URL of this hub's <c>/webhooks/telegram</c> endpoint. When set in webhook mode the adapter
    /// calls <c>setWebhook</c> after the application started; when empty the webhook is assumed to be set elsewhere.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Bot API server base URL. Default <c>https://api.telegram.org</c>; a self-hosted Bot API server or a
    /// test fake. Only scheme, host and port are used: requests go to <c>{ApiBaseUrl}/bot{token}/{method}</c>.</summary>
    [Required]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>When true (default), <c>edited_message</c> and <c>edited_channel_post</c> updates are acknowledged and ignored.</summary>
    public bool IgnoreEditedMessages { get; set; } = true;

    /// <summary>Long-poll <c>timeout</c> of <c>getUpdates</c>, in seconds (0–50). Default 30.</summary>
    [Range(0, 50)]
    public int PollingTimeoutSeconds { get; set; } = 30;

    /// <summary>Most updates fetched per <c>getUpdates</c> call (1–100). Default 100.</summary>
    [Range(1, 100)]
    public int PollingLimit { get; set; } = 100;

    /// <summary>First wait after a failed poll or start-up call, in ms; doubled per failure up to
    /// <see cref="ErrorBackoffMaxMs"/>. Default 1,000. (Was <c>ErrorBackoffInitial</c>, a <see cref="TimeSpan"/>;
    /// that key still works.)</summary>
    [Range(1, int.MaxValue)]
    public int ErrorBackoffInitialMs { get; set; } = 1_000;

    /// <summary>Longest wait between failed polls, in ms. Default 60,000. A 409 Conflict waits at least
    /// <see cref="ConflictBackoffMs"/>. (Was <c>ErrorBackoffMax</c>; that key still works.)</summary>
    [Range(1, int.MaxValue)]
    public int ErrorBackoffMaxMs { get; set; } = 60_000;

    /// <summary>When true (default), the hub's commands (<c>/help</c>, <c>/reset</c>, <c>/status</c>) are published as the
    /// bot's command menu with <c>setMyCommands</c> at start.</summary>
    public bool RegisterCommands { get; set; } = true;

    /// <summary>Wait after a 409 Conflict (webhook active or another poller running), in ms. Default 30,000. (Was
    /// <c>ConflictBackoff</c>; that key still works.)</summary>
    [Range(1, int.MaxValue)]
    public int ConflictBackoffMs { get; set; } = 30_000;

    /// <summary>The backoff of failed polls and start-up calls, from <see cref="ErrorBackoffInitialMs"/> to
    /// <see cref="ErrorBackoffMaxMs"/>.</summary>
    internal ExponentialBackoff ErrorBackoff => new(TimeSpan.FromMilliseconds(ErrorBackoffInitialMs), TimeSpan.FromMilliseconds(ErrorBackoffMaxMs));

    /// <summary>How answers are formatted: <see cref="ParseMode.Html"/> (default; Markdown from the model is converted
    /// to Telegram HTML) or <see cref="ParseMode.None"/> (plain text). Other values are rejected at start.</summary>
    public ParseMode ParseMode { get; set; } = ParseMode.Html;

    /// <summary>Update types to receive (<c>allowed_updates</c>), e.g. <c>message</c>, <c>channel_post</c>. Empty (default)
    /// sends <c>message</c>, <c>edited_message</c> and <c>channel_post</c>, the types the adapter handles.</summary>
    public List<string> AllowedUpdates { get; set; } = [];

    /// <summary>Bounded retries of one Bot API send after 429 (waiting <c>parameters.retry_after</c>), 5xx or a
    /// network error. Default 3.</summary>
    [Range(0, 10)]
    public int SendMaxRetries { get; set; } = 3;

    /// <summary>Longest <c>retry_after</c> the sender waits, in seconds; a longer one fails the send at once with
    /// <see cref="ChannelDeliveryException.RetryAfter"/> set. Default 60.</summary>
    [Range(1, 3600)]
    public int MaxRetryAfterSeconds { get; set; } = 60;

    /// <summary>Messages per second this bot sends across the whole cluster (all chats together), burst 5. Default 30,
    /// Telegram's limit for a bot sending to many users (core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this);
    /// a bot with paid broadcasts (<c>allow_paid_broadcast</c>) may send up to 1,000. 0 turns the per-bot pacing off
    /// (a Bot API server of your own, or a load test against a fake). The 20 messages/min per group stay.</summary>
    [Range(0, 1000)]
    public int MessagesPerSecond { get; set; } = 30;

    /// <summary>The bot id: the digits of <see cref="BotToken"/> before <c>:</c>, or empty when the token is malformed.</summary>
    public string BotId
    {
        get
        {
            var colon = BotToken.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? BotToken[..colon] : string.Empty;
        }
    }
}
