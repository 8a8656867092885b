using System.Text.RegularExpressions;
using Quartz;

namespace OpenClaw.Channels.Cron;

/// <summary>Checks a definition before anything is saved (configuration at start, the API, the agent tools): a cron
/// expression in either form of <see cref="CronExpressionForm"/> that fires at least once more, and the other fields. Errors are
/// keyed by the camel-case field name (<c>cron</c>, <c>timeZone</c>, <c>target.channel</c>, …) as ASP.NET Core's
/// validation problem details expect.</summary>
internal sealed partial class CronJobValidator(ChannelSenders senders, TimeProvider time)
{
    /// <summary>Validates <paramref name="job"/>.</summary>
    /// <param name="job">The definition.</param>
    /// <param name="requireFutureAt">True for new writes through the API or tools: a one-shot time must lie ahead.</param>
    /// <returns>Field → messages; empty when valid.</returns>
    public Dictionary<string, string[]> Validate(CronJobDefinition job, bool requireFutureAt)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (!IdPattern().IsMatch(job.Id ?? string.Empty))
        {
            Add("id", "The id must be 1-64 letters, digits, '-', '_' or '.'.");
        }

        if (job.Name is { Length: > 200 })
        {
            Add("name", "The name must be at most 200 characters.");
        }

        var kinds = (job.Cron is not null ? 1 : 0) + (job.IntervalSeconds is not null ? 1 : 0) + (job.At is not null ? 1 : 0);
        if (kinds != 1)
        {
            Add("schedule", "Set exactly one of cron, intervalSeconds and at.");
        }

        if (job.Cron is not null)
        {
            if (!CronExpressionForm.TryNormalize(job.Cron, out var quartz, out var cronError))
            {
                Add("cron", cronError!);
            }
            else if (new CronExpression(quartz, IsTimeZone(job.TimeZone) ? TimeZoneInfo.FindSystemTimeZoneById(job.TimeZone) : TimeZoneInfo.Utc).GetNextValidTimeAfter(time.GetUtcNow()) is null)
            {
                Add("cron", $"'{job.Cron}' never fires (a day that does not exist, such as 31 February, or only years that have passed).");
            }
        }

        if (job.IntervalSeconds is < 1)
        {
            Add("intervalSeconds", "The interval must be at least 1 second.");
        }

        if (job.At is { } at && requireFutureAt && at <= time.GetUtcNow())
        {
            Add("at", "The one-shot time must lie in the future.");
        }

        if (!IsTimeZone(job.TimeZone))
        {
            Add("timeZone", $"'{job.TimeZone}' is not a known time zone id (IANA, e.g. 'Europe/Berlin').");
        }

        if (string.IsNullOrWhiteSpace(job.Prompt))
        {
            Add("prompt", "The prompt is required.");
        }

        if (job.Session is not (CronSessionMode.Isolated or CronSessionMode.Persistent))
        {
            Add("session", $"The session mode must be '{CronSessionMode.Isolated}' or '{CronSessionMode.Persistent}'.");
        }

        if (job.SessionName is not null && !IdPattern().IsMatch(job.SessionName))
        {
            Add("sessionName", "The session name must be 1-64 letters, digits, '-', '_' or '.'.");
        }

        if (job.Misfire is not (CronMisfirePolicy.Skip or CronMisfirePolicy.RunOnce))
        {
            Add("misfire", $"The misfire policy must be '{CronMisfirePolicy.Skip}' or '{CronMisfirePolicy.RunOnce}'.");
        }

        if (job.MaxRuntimeSeconds is < 1)
        {
            Add("maxRuntimeSeconds", "The max runtime must be at least 1 second.");
        }

        if (job.Target is { } target)
        {
            if (!senders.Channels.Contains(target.Channel))
            {
                var known = senders.Channels.Count == 0 ? "none" : string.Join(", ", senders.Channels.Order(StringComparer.Ordinal));
                Add("target.channel", $"Unknown channel '{target.Channel}'; registered channels: {known}.");
            }

            if (string.IsNullOrWhiteSpace(target.ChatId))
            {
                Add("target.chatId", "The chat id is required.");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static bool IsTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}
