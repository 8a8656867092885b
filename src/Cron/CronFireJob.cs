using Quartz;

namespace OpenClaw.Channels.Cron;

/// <summary>The Quartz job of every cron definition: hands the trigger's scheduled fire time (UTC, whole seconds) to
/// <see cref="CronDispatcher"/>, which lets exactly one node enqueue the run (in the background: a fire waiting for the
/// store does not hold a Quartz thread).</summary>
internal sealed class CronFireJob(CronDispatcher dispatcher) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        dispatcher.Fire(context.JobDetail.Key.Name, CronTiming.Truncate(context.ScheduledFireTimeUtc ?? context.FireTimeUtc));
        return ValueTask.CompletedTask;
    }
}
