using Quartz;

namespace OpenClaw.Channels.Hub.Cron;

/// <summary>The Quartz job of every cron definition: hands the trigger's scheduled fire time (UTC, whole seconds) to
/// <see cref="CronDispatcher"/>, which lets exactly one node enqueue the run.</summary>
internal sealed partial class CronFireJob(CronDispatcher dispatcher, ILogger<CronFireJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var jobId = context.JobDetail.Key.Name;
        var fireTime = CronTiming.Truncate(context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        try
        {
            await dispatcher.FireAsync(jobId, fireTime, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFireFailed(logger, jobId, fireTime, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cron job {JobId} could not be dispatched for {FireTime}")]
    private static partial void LogFireFailed(ILogger logger, string jobId, DateTimeOffset fireTime, Exception exception);
}
