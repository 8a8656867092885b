using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;
using Telegram.Bot;
using TelegramBotCommand = Telegram.Bot.Types.BotCommand;

namespace OpenClaw.Channels.Telegram;

/// <summary>After <c>ApplicationStarted</c>, publishes the hub's commands (<see cref="HubCommands.All"/>) as the bot's
/// command menu with <c>setMyCommands</c> (core.telegram.org/bots/api#setmycommands, default scope), when
/// <see cref="TelegramOptions.RegisterCommands"/> is on. Failures are retried with bounded exponential backoff
/// (5 attempts) and then logged; the bot works without a menu.</summary>
internal sealed class TelegramCommandsRegistrar(
    TelegramBotClientFactory clients,
    IOptions<TelegramOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TelegramCommandsRegistrar> logger) : BackgroundService
{
    private const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartGate.WaitAsync(lifetime.ApplicationStarted, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var o = options.Value;
        var commands = HubCommands.All.Select(c => new TelegramBotCommand(c.Name, c.Description)).ToArray();
        for (var attempt = 1; attempt <= MaxAttempts && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await clients.Create().SetMyCommands(commands, cancellationToken: stoppingToken).ConfigureAwait(false);
                TelegramLog.CommandsSet(logger, o.BotId, commands.Length);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = attempt < MaxAttempts
                    ? o.ErrorBackoff.DelayAfter(attempt)
                    : TimeSpan.Zero;
                TelegramLog.CommandsSetFailed(logger, attempt, (long)delay.TotalMilliseconds, ex);
                if (delay == TimeSpan.Zero)
                {
                    return;
                }

                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
