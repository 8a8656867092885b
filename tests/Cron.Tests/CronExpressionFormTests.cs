using Quartz;

namespace OpenClaw.Channels.Cron.Tests;

public class CronExpressionFormTests
{
    [Theory]
    [InlineData("0 9 * * 1-5", "0 0 9 ? * 2,3,4,5,6")] // weekdays: cron 1 = Monday, Quartz 2 = Monday
    [InlineData("*/15 * * * *", "0 */15 * * * ?")]
    [InlineData("30 8 1 * *", "0 30 8 1 * ?")] // day-of-month only: day-of-week becomes '?'
    [InlineData("0 0 * * 0", "0 0 0 ? * 1")] // Sunday as 0 ...
    [InlineData("0 0 * * 7", "0 0 0 ? * 1")] // ... and as 7
    [InlineData("0 0 * * 5-7", "0 0 0 ? * 1,6,7")] // Friday to Sunday
    [InlineData("0 12 * * MON,wed,FRI", "0 0 12 ? * 2,4,6")]
    [InlineData("0 12 * * */2", "0 0 12 ? * 1,3,5,7")] // Sun, Tue, Thu, Sat
    [InlineData("0 6 * JAN-MAR SAT", "0 0 6 ? JAN-MAR 7")]
    [InlineData("0 0 9 ? * MON-FRI", "0 0 9 ? * MON-FRI")] // Quartz form is kept
    [InlineData("0  0 9 ? * MON-FRI 2030", "0 0 9 ? * MON-FRI 2030")]
    public void Normalize_GivesQuartzForm(string input, string expected)
    {
        Assert.True(CronExpressionForm.TryNormalize(input, out var quartz, out var error), error);
        Assert.Equal(expected, quartz);
        Assert.True(CronExpression.TryParse(quartz, out _));
    }

    [Fact]
    public void FiveFieldWeekdays_FireAtTheSameTimesAsTheQuartzWeekdayExpression()
    {
        Assert.True(CronExpressionForm.TryNormalize("0 9 * * 1-5", out var converted, out _));
        var ours = new CronExpression(converted, TimeZoneInfo.Utc);
        var reference = new CronExpression("0 0 9 ? * MON-FRI", TimeZoneInfo.Utc);
        var cursor = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero); // a Monday
        for (var i = 0; i < 20; i++)
        {
            var next = ours.GetNextValidTimeAfter(cursor);
            Assert.Equal(reference.GetNextValidTimeAfter(cursor), next);
            Assert.NotEqual(DayOfWeek.Saturday, next!.Value.DayOfWeek);
            Assert.NotEqual(DayOfWeek.Sunday, next.Value.DayOfWeek);
            cursor = next.Value;
        }
    }

    [Theory]
    [InlineData("0 9 1 * 1", "both")] // cron's OR of day-of-month and day-of-week has no Quartz form
    [InlineData("0 9 * * 8", "day-of-week")]
    [InlineData("0 9 * * FRI-MON", "day-of-week")]
    [InlineData("0 9 * *", "4 fields")]
    [InlineData("every monday", "2 fields")]
    [InlineData("61 9 * * *", "not a valid cron")]
    [InlineData("0 0 25 * * ?", "not a Quartz")]
    public void Invalid_IsRefused_WithAReason(string input, string reason)
    {
        Assert.False(CronExpressionForm.TryNormalize(input, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
