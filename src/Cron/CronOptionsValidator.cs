using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Cron;

/// <summary>Validates the jobs of <c>Cron:Jobs</c> at start with <see cref="CronJobValidator"/>: the hub does not start
/// with an invalid job (failures name <c>Cron:Jobs:{index}:{field}</c>).</summary>
internal sealed class CronOptionsValidator(CronJobValidator validator) : IValidateOptions<CronOptions>
{
    public ValidateOptionsResult Validate(string? name, CronOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Jobs.Count; i++)
        {
            foreach (var (field, messages) in validator.Validate(options.Jobs[i], requireFutureAt: false))
            {
                failures.AddRange(messages.Select(m => $"Cron:Jobs:{i}:{field}: {m}"));
            }
        }

        foreach (var duplicate in options.Jobs.GroupBy(j => j.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"Cron:Jobs: the id '{duplicate.Key}' is used more than once.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
