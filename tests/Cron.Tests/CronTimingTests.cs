using Quartz;

namespace OpenClaw.Channels.Cron.Tests;

public class CronTimingTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LastFireBetween_ReadsTheCronExpressionInTheJobsTimeZone()
    {
        var job = new CronJobDefinition { Id = "j", Cron = "0 0 9 ? * MON-FRI", TimeZone = "Europe/Berlin", Prompt = "p" };

        // 09:00 in Berlin is 08:00 UTC in November (CET, UTC+1).
        Assert.Equal(Monday.AddHours(8), CronTiming.LastFireBetween(job, Monday, Monday.AddHours(12)));
        Assert.Null(CronTiming.LastFireBetween(job, Monday, Monday.AddHours(7.9)));

        // Friday's fire is the last one before the weekend ends.
        Assert.Equal(Monday.AddDays(4).AddHours(8), CronTiming.LastFireBetween(job, Monday.AddHours(9), Monday.AddDays(7).AddHours(7)));
    }

    [Fact]
    public void LastFireBetween_FindsOldFiresOfRareSchedules()
    {
        var job = new CronJobDefinition { Id = "j", Cron = "0 0 0 1 1 ?", Prompt = "p" }; // new year
        var from = new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), CronTiming.LastFireBetween(job, from, Monday));
    }

    [Fact]
    public void Intervals_FireOnAGridSinceTheEpoch_SoEveryNodeAgrees()
    {
        var job = new CronJobDefinition { Id = "j", IntervalSeconds = 60, Prompt = "p" };
        var now = Monday.AddSeconds(75.5);
        Assert.Equal(Monday.AddSeconds(60), CronTiming.LastFireBetween(job, Monday, now));
        Assert.Null(CronTiming.LastFireBetween(job, Monday.AddSeconds(60), now));

        var trigger = CronTiming.BuildTrigger(job, new JobKey("j", "g"), now, TimeProvider.System)!;
        Assert.Equal(Monday.AddSeconds(120), trigger.StartTimeUtc);
    }

    [Fact]
    public void OneShot_InThePast_IsNotScheduled_ButCountsAsMissed()
    {
        var at = Monday.AddHours(1);
        var job = new CronJobDefinition { Id = "j", At = at, Prompt = "p" };
        Assert.Null(CronTiming.BuildTrigger(job, new JobKey("j", "g"), at.AddSeconds(1), TimeProvider.System));
        Assert.NotNull(CronTiming.BuildTrigger(job, new JobKey("j", "g"), at.AddSeconds(-1), TimeProvider.System));
        Assert.Equal(at, CronTiming.LastFireBetween(job, Monday, at.AddMinutes(5)));
        Assert.Null(CronTiming.LastFireBetween(job, at, at.AddMinutes(5)));
    }
}
