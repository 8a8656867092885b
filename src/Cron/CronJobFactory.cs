using Quartz;
using Quartz.Extensibility;

namespace OpenClaw.Channels.Cron;

/// <summary>Gives Quartz this hub's <see cref="CronFireJob"/> (from the hub's container, not Quartz's).</summary>
internal sealed class CronJobFactory(CronFireJob job) : IJobFactory
{
    public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken)
        => ValueTask.FromResult(new JobScope(job, null));

    public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
