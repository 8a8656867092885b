using Hangfire.Common;

namespace OpenClaw.Channels.Cron.Tests;

public class CronHangfireTypesTests
{
    [Fact]
    public void CronRunJobEnqueuedUnderTheHubAssembly_ResolvesToTheCronAssemblysType()
    {
        Assert.Equal(typeof(CronRunJob), CronHangfireTypes.Resolve("OpenClaw.Channels.Hub.Cron.CronRunJob, OpenClaw.Channels.Hub"));
        Assert.Equal(typeof(CronRunJob), CronHangfireTypes.Resolve(typeof(CronRunJob).FullName + ", OpenClaw.Channels.Cron"));
        Assert.Equal(typeof(string), CronHangfireTypes.Resolve("System.String, mscorlib"));
    }

    [Fact]
    public void StoredJobOfTheOldAssembly_DeserializesToTheMovedRunMethod()
    {
        var job = Job.FromExpression<CronRunJob>(j => j.RunAsync("id", "name", "2026-11-23T09:00:00Z", false, CancellationToken.None));
        var resolved = CronHangfireTypes.Resolve(job.Type.FullName!.Replace("OpenClaw.Channels.Cron.", "OpenClaw.Channels.Hub.Cron.", StringComparison.Ordinal) + ", OpenClaw.Channels.Hub");
        Assert.Equal(job.Type, resolved);
        Assert.NotNull(resolved.GetMethod(nameof(CronRunJob.RunAsync), [typeof(string), typeof(string), typeof(string), typeof(bool), typeof(CancellationToken)]));
    }
}
