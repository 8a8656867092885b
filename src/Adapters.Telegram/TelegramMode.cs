namespace OpenClaw.Channels.Telegram;

/// <summary>How the adapter receives updates from the Bot API (core.telegram.org/bots/api#getting-updates).</summary>
public enum TelegramMode
{
    /// <summary>Long polling with <c>getUpdates</c> from a background worker (default; needs no public URL).</summary>
    Polling,

    /// <summary>Telegram POSTs updates to <c>/webhooks/telegram</c>; the adapter calls <c>setWebhook</c> on start when
    /// <see cref="TelegramOptions.WebhookUrl"/> is set.</summary>
    Webhook,
}
