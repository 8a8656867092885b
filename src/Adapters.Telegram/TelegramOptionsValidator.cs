using Microsoft.Extensions.Options;
using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Telegram;

/// <summary>Checks <see cref="TelegramOptions"/> beyond data annotations: token shape, webhook secret alphabet
/// (core.telegram.org/bots/api#setwebhook), API base URL and parse mode.</summary>
public sealed class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BotToken) || !long.TryParse(options.BotId, out _)
            || options.BotToken.Length <= options.BotId.Length + 1)
        {
            failures.Add("Channels:Telegram:BotToken must be the bot token from @BotFather, shaped '{botId}:{secret}'.");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var baseUri)
            || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Channels:Telegram:ApiBaseUrl must be an absolute http(s) URL.");
        }

        if (options.Mode == TelegramMode.Webhook && string.IsNullOrEmpty(options.WebhookSecret))
        {
            failures.Add("Channels:Telegram:WebhookSecret is required when Mode is Webhook.");
        }

        if (!string.IsNullOrEmpty(options.WebhookSecret) && !IsValidSecret(options.WebhookSecret))
        {
            failures.Add("Channels:Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, '_' and '-'.");
        }

        if (!string.IsNullOrEmpty(options.WebhookUrl) && !Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out _))
        {
            failures.Add("Channels:Telegram:WebhookUrl must be an absolute URL.");
        }

        if (options.ParseMode is not (ParseMode.Html or ParseMode.None))
        {
            failures.Add("Channels:Telegram:ParseMode must be Html or None.");
        }

        if (options.ErrorBackoffInitialMs <= 0 || options.ErrorBackoffMaxMs < options.ErrorBackoffInitialMs
            || options.ConflictBackoffMs <= 0)
        {
            failures.Add("Channels:Telegram: ErrorBackoffInitialMs and ConflictBackoffMs must be positive and ErrorBackoffMaxMs at least ErrorBackoffInitialMs.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsValidSecret(string secret)
    {
        if (secret.Length > 256)
        {
            return false;
        }

        foreach (var c in secret)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
