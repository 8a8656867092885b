using System.Globalization;
using Quartz;

namespace OpenClaw.Channels.Cron;

/// <summary>Reads the two cron forms a job may use and gives Quartz's: standard five-field cron
/// (<c>min hour day-of-month month day-of-week</c>, what people and models write, e.g. <c>0 9 * * 1-5</c>) and Quartz's
/// own six or seven fields with seconds (<c>sec min hour day-of-month month day-of-week [year]</c>, e.g.
/// <c>0 0 9 ? * MON-FRI</c>), which is kept as it is.</summary>
/// <remarks>Converting five fields: seconds become <c>0</c>; day-of-week numbers move from cron's 0–7 (0 and 7 are
/// Sunday, 1 Monday) to Quartz's 1–7 (1 Sunday, 2 Monday), names stay; a <c>*</c> day-of-week becomes Quartz's
/// <c>?</c> (and a <c>*</c> day-of-month does when only the day-of-week is restricted), because Quartz wants exactly one of
/// the two unspecified. Standard cron fires when <em>either</em> restricted day field matches; Quartz cannot say that, so
/// a five-field expression restricting both is rejected. crontab(5): man7.org/linux/man-pages/man5/crontab.5.html;
/// Quartz: quartz-scheduler.net/documentation/quartz-3.x/tutorial/crontriggers.html.</remarks>
internal static class CronExpressionForm
{
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>Gives the Quartz form of <paramref name="expression"/>.</summary>
    /// <param name="expression">Five-field standard cron or a Quartz expression.</param>
    /// <param name="quartz">The Quartz expression (single spaces between fields), or empty on failure.</param>
    /// <param name="error">Why the expression is not accepted, or null.</param>
    /// <returns>True when <paramref name="quartz"/> is a valid Quartz expression.</returns>
    public static bool TryNormalize(string expression, out string quartz, out string? error)
    {
        quartz = string.Empty;
        var fields = (expression ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string candidate;
        if (fields.Length == 5)
        {
            if (!TryConvertStandard(fields, out candidate, out error))
            {
                return false;
            }
        }
        else if (fields.Length is 6 or 7)
        {
            candidate = string.Join(' ', fields);
        }
        else
        {
            error = $"'{expression}' has {fields.Length} fields: use standard cron (min hour day-of-month month day-of-week, e.g. '0 9 * * 1-5') or Quartz with seconds (sec min hour day-of-month month day-of-week [year], e.g. '0 0 9 ? * MON-FRI').";
            return false;
        }

        if (!CronExpression.TryParse(candidate, out _))
        {
            error = fields.Length == 5
                ? $"'{expression}' is not a valid cron expression (min hour day-of-month month day-of-week, e.g. '0 9 * * 1-5')."
                : $"'{expression}' is not a Quartz cron expression (sec min hour day-of-month month day-of-week [year], e.g. '0 0 9 ? * MON-FRI').";
            return false;
        }

        quartz = candidate;
        error = null;
        return true;
    }

    /// <summary>The Quartz form of a stored or configured expression, assumed valid.</summary>
    /// <exception cref="FormatException">The expression is invalid.</exception>
    public static string ToQuartz(string expression)
        => TryNormalize(expression, out var quartz, out var error) ? quartz : throw new FormatException(error);

    private static bool TryConvertStandard(string[] fields, out string quartz, out string? error)
    {
        quartz = string.Empty;
        var (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        var anyDayOfMonth = dayOfMonth is "*" or "?";
        var anyDayOfWeek = dayOfWeek is "*" or "?";
        if (!anyDayOfMonth && !anyDayOfWeek)
        {
            error = $"'{string.Join(' ', fields)}' restricts both day-of-month and day-of-week; standard cron then fires when either matches, which Quartz cannot express. Set one of them to '*', or write a Quartz expression with '?'.";
            return false;
        }

        string quartzDayOfWeek;
        if (anyDayOfWeek)
        {
            quartzDayOfWeek = "?";
            dayOfMonth = anyDayOfMonth ? "*" : dayOfMonth;
        }
        else
        {
            if (!TryConvertDayOfWeek(dayOfWeek, out quartzDayOfWeek, out error))
            {
                return false;
            }

            dayOfMonth = "?";
        }

        quartz = string.Join(' ', "0", minute, hour, dayOfMonth, month, quartzDayOfWeek);
        error = null;
        return true;
    }

    /// <summary>cron day-of-week (lists of values, ranges and steps over 0–7 or SUN–SAT) to an explicit Quartz list.</summary>
    private static bool TryConvertDayOfWeek(string field, out string quartz, out string? error)
    {
        quartz = string.Empty;
        var days = new SortedSet<int>();
        foreach (var item in field.Split(','))
        {
            var (range, stepText) = item.Split('/') switch
            {
                [var r] => (r, null),
                [var r, var s] => (r, s),
                _ => (string.Empty, null),
            };
            var step = 1;
            if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                return Fail(item, out error);
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (0, 6);
            }
            else if (range.Split('-') is [var a, var b])
            {
                if (!TryDay(a, out from) || !TryDay(b, out to) || to < from)
                {
                    return Fail(item, out error);
                }
            }
            else if (TryDay(range, out from))
            {
                to = stepText is null ? from : 7;
            }
            else
            {
                return Fail(item, out error);
            }

            for (var day = from; day <= to; day += step)
            {
                days.Add(day % 7);
            }
        }

        // Quartz numbers: 1 = Sunday … 7 = Saturday.
        quartz = string.Join(',', days.Select(d => (d + 1).ToString(CultureInfo.InvariantCulture)));
        error = null;
        return true;
    }

    private static bool TryDay(string text, out int day)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out day))
        {
            return day is >= 0 and <= 7;
        }

        day = Array.IndexOf(DayNames, text.ToUpperInvariant());
        return day >= 0;
    }

    private static bool Fail(string item, out string? error)
    {
        error = $"'{item}' is not a day-of-week of standard cron (0-7 with 0 and 7 Sunday, or SUN-SAT; lists, ranges and steps such as '1-5', 'MON,WED', '*/2').";
        return false;
    }
}
