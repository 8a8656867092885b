using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Hub.Cron;

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
                [Description("Quartz cron expression with seconds: 'sec min hour day-of-month month day-of-week', e.g. '0 0 8 ? * MON' for every Monday at 08:00. Leave empty when using intervalSeconds or at.")] string? cron = null,
                [Description("Run every N seconds instead of a cron expression.")] int? intervalSeconds = null,
                [Description("Run once at this ISO 8601 time with offset, e.g. '2026-12-01T09:00:00+01:00'.")] string? at = null,
                [Description("IANA time zone of the cron expression, e.g. 'Europe/Berlin'. Default UTC.")] string? timeZone = null,
                CancellationToken cancellationToken = default) =>
            {
                DateTimeOffset? atTime = null;
                if (!string.IsNullOrWhiteSpace(at))
                {
                    if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        return "Error in 'at': not an ISO 8601 time.";
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
                    TimeZone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone,
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

    private static bool SameChat(CronJobDefinition job, DeliveryTarget? target)
        => target is null
            ? job.Target is null
            : job.Target is { } t && t.Channel == target.Channel && t.AccountId == target.AccountId && t.ChatId == target.ChatId && (t.ThreadId ?? string.Empty) == (target.ThreadId ?? string.Empty);

    private static string Describe(CronJobDefinition job)
        => job.Cron is { } cron ? $"cron '{cron}' ({job.TimeZone})"
            : job.IntervalSeconds is { } seconds ? $"every {seconds} s"
            : $"once at {job.At:O}";
}
