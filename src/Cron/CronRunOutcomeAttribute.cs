using Hangfire.Common;
using Hangfire.States;

namespace OpenClaw.Channels.Cron;

/// <summary>Hangfire filter of <see cref="CronRunJob.RunAsync"/>: a run that did nothing — the fire found the previous
/// run still holding the overlap lease (<see cref="CronRunStatus.SkippedOverlap"/>), the fire went stale in the queue
/// while every node was down (<see cref="CronRunStatus.SkippedStale"/>), the job was deleted before its
/// run, or the fire already ran under another Hangfire job — ends in Hangfire's <c>Deleted</c> state with the reason, instead of <c>Succeeded</c>.</summary>
/// <remarks>Deleted rather than a custom state: it is a final state the dashboard lists (Jobs → Deleted) and counts
/// apart from Succeeded, the job's page shows the reason in its state history, and Hangfire expires it like any
/// finished job; a custom state would appear in no dashboard list. Such a run is not a failure either (nothing to
/// retry or alert on), so Failed is wrong too.</remarks>
internal sealed class CronRunOutcomeAttribute : JobFilterAttribute, IElectStateFilter
{
    /// <summary>Return value of a run whose job was deleted before it ran.</summary>
    public const string Gone = "gone";

    /// <summary>Return value of a second Hangfire job of a fire that already ran.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Reason of the Deleted state of a duplicate job of a fire.</summary>
    public const string DuplicateReason = "duplicate: a run of this fire already started (the fire's job was created twice, e.g. after a Redis blip); nothing ran";

    /// <summary>Reason of the Deleted state of a skipped-overlap fire (shown in the dashboard).</summary>
    public const string SkippedOverlapReason = "skipped-overlap: the previous run of this cron job still held its overlap lease; nothing ran";

    /// <summary>Reason of the Deleted state of a skipped-stale fire (shown in the dashboard).</summary>
    public const string SkippedStaleReason = "skipped-stale: this fire's job waited in the queue while every node was down and later fires were missed meanwhile (the misfire policy handled them at start); nothing ran";

    /// <summary>Reason of the Deleted state of a run whose job was deleted.</summary>
    public const string GoneReason = "The cron job was deleted before this run; nothing ran";

    /// <inheritdoc />
    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is SucceededState { Result: string result })
        {
            var reason = result switch
            {
                CronRunStatus.SkippedOverlap => SkippedOverlapReason,
                CronRunStatus.SkippedStale => SkippedStaleReason,
                Gone => GoneReason,
                Duplicate => DuplicateReason,
                _ => null,
            };
            if (reason is not null)
            {
                context.CandidateState = new DeletedState { Reason = reason };
            }
        }
    }
}
