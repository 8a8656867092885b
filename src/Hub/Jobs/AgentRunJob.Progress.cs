using System.Diagnostics;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>What the user sees while a turn runs: the typing indicator, or on streaming channels a placeholder that is
/// edited with the growing answer.</summary>
internal sealed partial class AgentRunJob
{
    /// <summary>Streaming channels: posts a placeholder (or reuses the one an earlier attempt recorded) and returns a
    /// callback that edits it with the growing answer at most once a second, while the answer still fits one message
    /// (the final send posts any overflow). Edits set the whole text, so repeating one is harmless.</summary>
    private async Task<(string? PlaceholderId, Func<string, CancellationToken, Task>? OnPartialText)> StartStreamAsync(IChannelSender sender, ChannelMessage message, string? placeholderId, ISessionLease lease, CancellationToken cancellationToken)
    {
        try
        {
            if (placeholderId is null)
            {
                EnsureHeld(lease);
                var placeholder = await sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = "…", Format = TextFormat.Plain, TraceId = message.TraceId, InReplyToMessageId = message.Id + ":p" }, cancellationToken).ConfigureAwait(false);
                placeholderId = placeholder.PlatformMessageIds.Count > 0 ? placeholder.PlatformMessageIds[0] : null;
                if (placeholderId is null)
                {
                    return (null, null);
                }

                _cleanHeadId = null; // the pop drops the record
                // Like every write after a send, retried in the run: a retried turn must find the placeholder to edit it
                // instead of leaving this one orphaned ("…") and posting a second.
                var record = new DeliveryRecord([placeholderId], Complete: false, placeholderId);
                await RetryWriteAsync(ct => store.RecordDeliveryAsync(message.Id, record, DeliveryTtl, ct), lease, requireLease: false, cancellationToken).ConfigureAwait(false);
            }

            var lastEdit = 0L;
            async Task EditAsync(string text, CancellationToken ct)
            {
                if (text.Length > sender.Capabilities.MaxTextLength || Stopwatch.GetElapsedTime(lastEdit) < TimeSpan.FromSeconds(1) || !lease.IsHeld)
                {
                    return;
                }

                lastEdit = Stopwatch.GetTimestamp();
                try
                {
                    await sender.SendAsync(new OutboundMessage { Target = message.ReplyTarget, Text = text, EditMessageId = placeholderId, TraceId = message.TraceId }, ct).ConfigureAwait(false);
                }
                catch (ChannelDeliveryException ex)
                {
                    LogTypingFailed(logger, ex);
                }
            }

            return (placeholderId, EditAsync);
        }
        catch (ChannelDeliveryException ex)
        {
            LogTypingFailed(logger, ex);
            return (null, null);
        }
    }

    private async Task TypingLoopAsync(IChannelSender sender, DeliveryTarget target, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(500, sender.Capabilities.TypingIntervalMs));
        try
        {
            // The delays end without throwing when the turn ends (most turns end within the first delay: an exception
            // per turn cost more than the rest of the loop).
            await Task.Delay(FirstTypingDelay, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            while (!cancellationToken.IsCancellationRequested)
            {
                await sender.SendTypingAsync(target, cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException)
        {
            // the turn ended
        }
        catch (Exception ex)
        {
            LogTypingFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Typing indicator or progress update failed")]
    private static partial void LogTypingFailed(ILogger logger, Exception exception);
}
