using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Cron;

/// <summary>The agent's cron tools: <c>schedule_job</c> (a job delivering to the chat the user asks in),
/// <c>list_jobs</c> and <c>cancel_job</c> (both limited to the jobs of that chat). Validation is the API's; errors
/// go back to the model as text naming the field.</summary>
internal sealed class CronToolProvider(CronJobService service) : IAgentToolProvider
{
    public IEnumerable<AITool> GetTools(AgentToolContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Target;

        yield return AIFunctionFactory.Create(
            async (
                [Description("Short name of the job, e.g. 'Monday reminder'.")] string name,
                [Description("What the assistant should do or say on every run, e.g. 'Remind me to send the weekly report.'")] string prompt,
                [Description("Cron expression: standard 'min hour day-of-month month day-of-week' (e.g. '0 8 * * 1' for every Monday at 08:00) or Quartz with seconds (e.g. '0 0 8 ? * MON'). Leave empty when using intervalSeconds or at.")] string? cron = null,
                [Description("Run every N seconds instead of a cron expression.")] int? intervalSeconds = null,
                [Description("Run once at this ISO 8601 time, e.g. '2026-12-01T09:00:00' (read in timeZone) or with an offset, '2026-12-01T09:00:00+01:00'.")] string? at = null,
                [Description("IANA time zone the cron expression and an 'at' without offset are read in, e.g. 'Europe/Berlin'. Default UTC.")] string? timeZone = null,
                CancellationToken cancellationToken = default) =>
            {
                var zone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone;
                DateTimeOffset? atTime = null;
                if (!string.IsNullOrWhiteSpace(at))
                {
                    if (ParseAt(at, zone) is not { } parsed)
                    {
                        return $"Error in 'at': '{at}' is not an ISO 8601 time that exists in time zone {zone}.";
                    }

                    atTime = parsed;
                }

                var job = new CronJobDefinition
                {
                    Name = name,
                    Prompt = prompt,
                    Cron = string.IsNullOrWhiteSpace(cron) ? null : cron,
                    IntervalSeconds = intervalSeconds,
                    At = atTime,
                    TimeZone = zone,
                    Target = target is null ? null : CronDeliveryTarget.From(target),
                };
                var result = await service.CreateAsync(job, cancellationToken).ConfigureAwait(false);
                if (result.Job is { } saved)
                {
                    return $"Scheduled job '{saved.DisplayName}' with id {saved.Id}" + (target is null ? " (no delivery target)." : " delivering to this chat.");
                }

                return "The job was not scheduled: " + string.Join("; ", (result.Errors ?? new Dictionary<string, string[]>()).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
            },
            "schedule_job",
            "Schedules a recurring (cron or interval) or one-shot job; on every run the assistant answers the prompt and posts the answer to this chat.");

        yield return AIFunctionFactory.Create(
            async (CancellationToken cancellationToken = default) =>
            {
                var jobs = (await service.ListAsync(cancellationToken).ConfigureAwait(false)).Where(j => SameChat(j, target)).ToList();
                return jobs.Count == 0
                    ? "No jobs are scheduled for this chat."
                    : string.Join("\n", jobs.Select(j => $"{j.Id}: {j.DisplayName} — {Describe(j)}{(j.Enabled ? string.Empty : " (disabled)")} — {j.Prompt}"));
            },
            "list_jobs",
            "Lists the scheduled jobs that post to this chat (id, name, schedule, prompt).");

        yield return AIFunctionFactory.Create(
            async ([Description("The job id from list_jobs.")] string id, CancellationToken cancellationToken = default) =>
            {
                var job = await service.GetAsync(id, cancellationToken).ConfigureAwait(false);
                if (job is null || !SameChat(job, target))
                {
                    return $"No job with id {id} posts to this chat.";
                }

                await service.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
                return $"Cancelled job '{job.DisplayName}' ({id}).";
            },
            "cancel_job",
            "Cancels (deletes) a scheduled job of this chat.");
    }

    /// <summary>The job delivers to the asking chat: same channel and chat id, whatever thread; an account left empty
    /// (an API job created without <c>accountId</c> goes to the channel's default account) matches any.</summary>
    private static bool SameChat(CronJobDefinition job, DeliveryTarget? target)
        => target is null
            ? job.Target is null
            : job.Target is { } t
                && string.Equals(t.Channel, target.Channel, StringComparison.OrdinalIgnoreCase)
                && t.ChatId == target.ChatId
                && (string.IsNullOrEmpty(t.AccountId) || string.IsNullOrEmpty(target.AccountId) || t.AccountId == target.AccountId);

    /// <summary>An ISO 8601 time; without an offset it is read in <paramref name="timeZone"/> (a time skipped by a
    /// daylight-saving change is refused, an ambiguous one takes the standard-time offset). Null when unreadable.</summary>
    private static DateTimeOffset? ParseAt(string at, string timeZone)
    {
        if (!DateTime.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local))
        {
            return null;
        }

        if (local.Kind != DateTimeKind.Unspecified)
        {
            return DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset) ? withOffset : null;
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return new DateTimeOffset(local, TimeSpan.Zero); // the validator names timeZone; nothing is saved
        }

        return zone.IsInvalidTime(local) ? null : new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string Describe(CronJobDefinition job)
        => job.Cron is { } cron ? $"cron '{cron}' ({job.TimeZone})"
            : job.IntervalSeconds is { } seconds ? $"every {seconds} s"
            : $"once at {job.At:O}";
}
