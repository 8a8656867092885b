using System.Text.Json;
using Hangfire.Server;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A run's start and end beyond its turns: the failed messages a requeued job puts back, and the hand-off of the
/// rest of the session to a new run.</summary>
internal sealed partial class AgentRunJob
{
    /// <summary>A requeued failed job: puts the messages whose turn failed back at the head of the session.</summary>
    private async Task RequeueFailedAsync(string sessionKey, PerformContext? context, CancellationToken cancellationToken)
    {
        var json = context?.GetJobParameter<string>(FailedMessagesParameter, allowStale: true); // the job data read at Processing (LeanRedisJobStorage)
        if (string.IsNullOrEmpty(json))
        {
            return;
        }

        var messages = JsonSerializer.Deserialize<List<ChannelMessage>>(json, MessageSerializer.Options) ?? [];
        if (messages.Count > 0)
        {
            await store.RequeueAtHeadAsync(sessionKey, messages, cancellationToken).ConfigureAwait(false);
            LogRequeued(logger, sessionKey, messages.Count);
        }

        context!.SetJobParameter(FailedMessagesParameter, string.Empty);
    }

    private void HandOff(string sessionKey, string label, bool excludeSelf)
    {
        if (!excludeSelf)
        {
            // A yield: the router's dispatcher threads create the job, so this pool thread does not block on Hangfire's
            // synchronous client (the session stays pending meanwhile, as after a webhook).
            router.ScheduleRun(sessionKey, label);
            return;
        }

        try
        {
            router.CreateRun(sessionKey, label, hubOptions.Value.NodeId);
        }
        catch (Exception ex) when (TransientFailure.Is(ex))
        {
            // The session is still pending and its last run ended: the rescue sweep schedules it.
            LogHandOffFailed(logger, sessionKey, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Requeued run of {SessionKey}: {Count} failed message(s) put back at the head")]
    private static partial void LogRequeued(ILogger logger, string sessionKey, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queuing the next run of {SessionKey} failed; the rescue sweep will schedule it")]
    private static partial void LogHandOffFailed(ILogger logger, string sessionKey, Exception exception);
}
