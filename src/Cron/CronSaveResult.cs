namespace OpenClaw.Channels.Cron;

/// <summary>Outcome of a create or update: the saved job, or validation errors (field → messages), or not found /
/// conflict. Nothing is saved unless <see cref="Job"/> is set.</summary>
internal sealed record CronSaveResult(CronJobDefinition? Job, IDictionary<string, string[]>? Errors = null, bool NotFound = false, bool Conflict = false);
