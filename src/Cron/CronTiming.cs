using Quartz;

namespace OpenClaw.Channels.Cron;

/// <summary>Fire-time arithmetic shared by the Quartz triggers and the missed-fire check, so both agree on every
/// node: cron expressions in the job's time zone, intervals on a grid anchored at the Unix epoch, one-shot times.</summary>
internal static class CronTiming
{
    private static readonly TimeSpan[] BackwardWindows =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(400), TimeSpan.FromDays(5 * 366),
    ];

    /// <summary>Builds the job's trigger, firing strictly after <paramref name="now"/>; null when it never fires again.
    /// Missed fires are Quartz's "do nothing" (the hub's own misfire policy runs at start).</summary>
    public static ITrigger? BuildTrigger(CronJobDefinition job, JobKey jobKey, DateTimeOffset now, TimeProvider time)
    {
        var builder = TriggerBuilder.Create(time).WithIdentity(job.Id, jobKey.Group).ForJob(jobKey);
        if (job.Cron is { } cron)
        {
            var expression = new CronExpression(CronExpressionForm.ToQuartz(cron), ZoneOf(job));
            if (expression.GetNextValidTimeAfter(now) is null)
            {
                return null;
            }

            return builder
                .WithCronSchedule(expression, b => b.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                .StartAt(now)
                .Build();
        }

        if (job.IntervalSeconds is { } seconds)
        {
            var next = NextGridTime(now, seconds);
            return builder
                .WithSimpleSchedule(b => b.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .StartAt(next)
                .Build();
        }

        if (job.At is { } at && at > now)
        {
            return builder
                .WithSimpleSchedule(b => b.WithRepeatCount(0).WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .StartAt(at)
                .Build();
        }

        return null;
    }

    /// <summary>The latest fire time in (<paramref name="after"/>, <paramref name="until"/>], or null when none.</summary>
    public static DateTimeOffset? LastFireBetween(CronJobDefinition job, DateTimeOffset after, DateTimeOffset until)
    {
        if (until <= after)
        {
            return null;
        }

        if (job.IntervalSeconds is { } seconds)
        {
            var last = DateTimeOffset.FromUnixTimeSeconds(until.ToUnixTimeSeconds() / seconds * seconds);
            return last > after ? last : null;
        }

        if (job.At is { } at)
        {
            return at > after && at <= until ? Truncate(at) : null;
        }

        if (job.Cron is not { } cron)
        {
            return null;
        }

        var expression = new CronExpression(CronExpressionForm.ToQuartz(cron), ZoneOf(job));

        // No backward search in Quartz: look forward through growing windows that end at `until`.
        foreach (var window in BackwardWindows.Append(until - after))
        {
            var from = until - window < after ? after : until - window;
            DateTimeOffset? found = null;
            var cursor = expression.GetNextValidTimeAfter(from);
            for (var i = 0; cursor is { } c && c <= until && i < 100_000; i++)
            {
                found = c;
                cursor = expression.GetNextValidTimeAfter(c);
            }

            if (found is not null || from == after)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>UTC, whole seconds: the form used in fire keys and the run history.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    /// <summary>The job's time zone (validated before).</summary>
    public static TimeZoneInfo ZoneOf(CronJobDefinition job) => TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(job.TimeZone) ? "UTC" : job.TimeZone);

    private static DateTimeOffset NextGridTime(DateTimeOffset now, int seconds)
    {
        var next = (now.ToUnixTimeSeconds() / seconds + 1) * seconds;
        return DateTimeOffset.FromUnixTimeSeconds(next);
    }
}
