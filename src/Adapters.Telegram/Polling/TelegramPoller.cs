using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Adapters;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace OpenClaw.Channels.Telegram;

/// <summary>Long-polls <c>getUpdates</c> (core.telegram.org/bots/api#getupdates) and hands each update to the inbound
/// pipeline in order. The next offset is persisted in <see cref="IChannelStateStore"/> under
/// <c>telegram:{botId}:offset</c> only after every update of a batch was accepted, so a restart resumes where it
/// stopped; an update accepted just before a crash comes again and the hub's dedupe drops it. At start (and after a
/// 409) a webhook that is still set is deleted, keeping pending updates (<c>getWebhookInfo</c>, <c>deleteWebhook</c>);
/// a 409 Conflict from another poller and 401 are logged and backed off; other errors back off exponentially.
/// <para>Only the node holding the lease <see cref="LeaseResource"/> of <see cref="ConnectionOwnership"/> polls; the
/// others wait for it. A node whose lease is lost aborts its poll before the lease can expire, and the node that
/// takes over resumes from the stored offset.</para></summary>
internal sealed class TelegramPoller(
    TelegramBotClientFactory clients,
    TelegramBotIdentity identity,
    TelegramNormalizer normalizer,
    IInboundPipeline pipeline,
    IChannelStateStore state,
    TelegramTransportState transport,
    ConnectionOwnership ownership,
    IOptions<TelegramOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TelegramPoller> logger) : BackgroundService
{
    public static string OffsetKey(string botId) => string.Concat("telegram:", botId, ":offset");

    /// <summary>The lease resource of the long poll of bot <paramref name="botId"/>: one poller per bot in the cluster.</summary>
    public static string LeaseResource(string botId) => string.Concat("telegram:", botId, ":poll");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStartedAsync(stoppingToken).ConfigureAwait(false);
        var o = options.Value;
        var resource = LeaseResource(o.BotId);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            OwnedConnection owned;
            try
            {
                // Telegram allows one getUpdates at a time per bot (a second one gets 409): only the lease holder polls.
                owned = await ownership.AcquireAsync(resource, stoppingToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = Backoff(o, ++failures);
                TelegramLog.PollLeaseFailed(logger, resource, (long)delay.TotalMilliseconds, ex);
                await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
                continue;
            }

            await using (owned.ConfigureAwait(false))
            {
                TelegramLog.PollOwned(logger, o.BotId, ownership.NodeId, resource, owned.Lease.FencingToken);
                using var polling = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, owned.Lost);
                await PollWhileOwnedAsync(polling.Token).ConfigureAwait(false);
                if (!stoppingToken.IsCancellationRequested)
                {
                    TelegramLog.PollLeaseLost(logger, o.BotId, ownership.NodeId, resource);
                }
            }
        }
    }

    /// <summary>The poll loop of one lease: reads the offset from the store (another node may have moved it), polls until
    /// <paramref name="stoppingToken"/> (stopping, or the lease lost) is cancelled; an in-flight <c>getUpdates</c> is
    /// aborted then, so the next owner's poll does not meet it.</summary>
    private async Task PollWhileOwnedAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var key = OffsetKey(o.BotId);
        var bot = clients.Create();
        var allowed = TelegramUpdateTypes.Resolve(o.AllowedUpdates);
        var failures = 0;
        long? offset = null;
        var webhookChecked = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var me = await identity.GetAsync(stoppingToken).ConfigureAwait(false);
                if (!webhookChecked)
                {
                    await DeleteWebhookIfSetAsync(bot, stoppingToken).ConfigureAwait(false);
                    webhookChecked = true;
                }

                if (offset is null)
                {
                    var stored = await state.GetAsync(key, stoppingToken).ConfigureAwait(false);
                    offset = long.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
                    TelegramLog.PollStarted(logger, o.BotId, offset.Value);
                }

                var updates = await bot.GetUpdates(
                    offset > 0 ? (int)offset.Value : null, o.PollingLimit, o.PollingTimeoutSeconds, allowed, stoppingToken).ConfigureAwait(false);
                transport.ReportPoll(TelegramPollStatus.Ok);
                failures = 0;
                if (updates.Length == 0)
                {
                    continue;
                }

                foreach (var update in updates)
                {
                    var message = normalizer.Normalize(update, TelegramUpdateParser.Serialize(update), me);
                    if (message is null)
                    {
                        TelegramLog.UpdateIgnored(logger, update.Id, update.Type.ToString());
                        continue;
                    }

                    await pipeline.AcceptAsync(message, stoppingToken).ConfigureAwait(false);
                }

                var next = (long)updates.Max(u => u.Id) + 1;
                await state.SetAsync(key, next.ToString(CultureInfo.InvariantCulture), null, stoppingToken).ConfigureAwait(false);
                offset = next;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 409)
            {
                transport.ReportPoll(TelegramPollStatus.Conflict);
                if (await TryDeleteWebhookAsync(bot, stoppingToken).ConfigureAwait(false))
                {
                    // A webhook was set while we polled: removed, poll again at once.
                    continue;
                }

                var delay = Max(TimeSpan.FromMilliseconds(o.ConflictBackoffMs), Backoff(o, ++failures));
                TelegramLog.PollConflict(logger, ex.Message, o.BotId, (long)delay.TotalMilliseconds);
                await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 401)
            {
                transport.ReportPoll(TelegramPollStatus.Unauthorized);
                var delay = Max(TimeSpan.FromMilliseconds(o.ConflictBackoffMs), Backoff(o, ++failures));
                TelegramLog.PollUnauthorized(logger, o.BotId, (long)delay.TotalMilliseconds);
                await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                transport.ReportPoll(TelegramPollStatus.Failing);
                var delay = ex is ApiRequestException { ErrorCode: 429, Parameters.RetryAfter: { } after }
                    ? TimeSpan.FromSeconds(after)
                    : Backoff(o, ++failures);
                TelegramLog.PollFailed(logger, (long)delay.TotalMilliseconds, ex);
                await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A webhook left set (by an earlier webhook-mode run, or by hand) makes every <c>getUpdates</c> a 409:
    /// <c>getWebhookInfo</c>, and when it has a URL, <c>deleteWebhook</c> keeping pending updates
    /// (core.telegram.org/bots/api#deletewebhook), so they are polled next.</summary>
    /// <returns>True when a webhook was deleted.</returns>
    private async Task<bool> DeleteWebhookIfSetAsync(ITelegramBotClient bot, CancellationToken cancellationToken)
    {
        var info = await bot.GetWebhookInfo(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(info.Url))
        {
            return false;
        }

        await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken).ConfigureAwait(false);
        TelegramLog.WebhookDeletedForPolling(logger, options.Value.BotId, info.PendingUpdateCount);
        return true;
    }

    private async Task<bool> TryDeleteWebhookAsync(ITelegramBotClient bot, CancellationToken cancellationToken)
    {
        try
        {
            return await DeleteWebhookIfSetAsync(bot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ApiRequestException or RequestException or HttpRequestException)
        {
            TelegramLog.PollFailed(logger, 0, ex);
            return false;
        }
    }

    private static TimeSpan Backoff(TelegramOptions o, int failures)
        => o.ErrorBackoff.DelayAfter(failures);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task WaitForStartedAsync(CancellationToken stoppingToken)
    {
        // Stopped before the application started: false, and ExecuteAsync's loop exits.
        await StartGate.WaitAsync(lifetime.ApplicationStarted, stoppingToken).ConfigureAwait(false);
    }
}
