using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;
using Telegram.Bot;

namespace OpenClaw.Channels.Telegram;

/// <summary>In webhook mode, after <c>ApplicationStarted</c>, calls <c>getMe</c> (warming the identity cache) and,
/// when <see cref="TelegramOptions.WebhookUrl"/> is set, <c>setWebhook</c> with <c>url</c>, <c>secret_token</c> and
/// <c>allowed_updates</c> (core.telegram.org/bots/api#setwebhook). Failures are retried with bounded exponential
/// backoff (5 attempts); a final failure leaves the health check degraded.</summary>
internal sealed class TelegramWebhookRegistrar(
    TelegramBotClientFactory clients,
    TelegramBotIdentity identity,
    TelegramTransportState state,
    IOptions<TelegramOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TelegramWebhookRegistrar> logger) : BackgroundService
{
    private const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartGate.WaitAsync(lifetime.ApplicationStarted, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var o = options.Value;
        for (var attempt = 1; attempt <= MaxAttempts && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await identity.GetAsync(stoppingToken).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(o.WebhookUrl))
                {
                    await clients.Create().SetWebhook(
                        o.WebhookUrl,
                        allowedUpdates: TelegramUpdateTypes.Resolve(o.AllowedUpdates),
                        secretToken: o.WebhookSecret,
                        cancellationToken: stoppingToken).ConfigureAwait(false);
                    state.ReportWebhook(succeeded: true);
                    TelegramLog.WebhookSet(logger, o.BotId, o.WebhookUrl);
                }

                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts)
            {
                var delay = o.ErrorBackoff.DelayAfter(attempt);
                TelegramLog.WebhookSetFailed(logger, attempt, (long)delay.TotalMilliseconds, ex);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                state.ReportWebhook(succeeded: false);
                TelegramLog.WebhookSetFailed(logger, attempt, 0, ex);
            }
        }
    }
}
