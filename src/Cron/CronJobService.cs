namespace OpenClaw.Channels.Cron;

/// <summary>What the API, the agent tools and the configuration import do with definitions: validate, then save
/// (notifying every node's scheduler), or nothing at all.</summary>
internal sealed class CronJobService(ICronStore store, CronJobValidator validator, CronDispatcher dispatcher, TimeProvider time)
{
    /// <summary>The active jobs (one-shot jobs that fired are done and left out).</summary>
    public Task<IReadOnlyList<CronJobDefinition>> ListAsync(CancellationToken cancellationToken) => ListAsync(includeDone: false, cancellationToken);

    /// <summary>The jobs; with <paramref name="includeDone"/> also the done one-shot jobs.</summary>
    public async Task<IReadOnlyList<CronJobDefinition>> ListAsync(bool includeDone, CancellationToken cancellationToken)
    {
        var jobs = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return includeDone ? jobs : jobs.Where(j => j.DoneUtc is null).ToList();
    }

    public Task<CronJobDefinition?> GetAsync(string jobId, CancellationToken cancellationToken) => store.GetAsync(jobId, cancellationToken);

    public async Task<CronSaveResult> CreateAsync(CronJobDefinition job, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(job.Id))
        {
            job.Id = SortableId.NewId(time.GetUtcNow());
        }

        Normalize(job);
        var errors = validator.Validate(job, requireFutureAt: true);
        if (errors.Count > 0)
        {
            return new CronSaveResult(null, errors);
        }

        if (await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new CronSaveResult(null, Conflict: true);
        }

        job.UpdatedUtc = time.GetUtcNow();
        await store.SaveAsync(job, cancellationToken).ConfigureAwait(false);
        return new CronSaveResult(job);
    }

    public async Task<CronSaveResult> UpdateAsync(string jobId, CronJobDefinition job, CancellationToken cancellationToken)
    {
        job.Id = string.IsNullOrEmpty(job.Id) ? jobId : job.Id;
        if (job.Id != jobId)
        {
            return new CronSaveResult(null, new Dictionary<string, string[]> { ["id"] = ["The id in the body differs from the id in the path."] });
        }

        Normalize(job);
        var errors = validator.Validate(job, requireFutureAt: job.At is not null);
        if (errors.Count > 0)
        {
            return new CronSaveResult(null, errors);
        }

        if (await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new CronSaveResult(null, NotFound: true);
        }

        job.UpdatedUtc = time.GetUtcNow();
        await store.SaveAsync(job, cancellationToken).ConfigureAwait(false);
        return new CronSaveResult(job);
    }

    public Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken) => store.DeleteAsync(jobId, cancellationToken);

    /// <summary>A five-field cron expression becomes its Quartz form (an invalid one is left for the validator to name);
    /// <see cref="CronJobDefinition.DoneUtc"/> is the hub's, never the caller's.</summary>
    private static void Normalize(CronJobDefinition job)
    {
        if (job.Cron is { } cron && CronExpressionForm.TryNormalize(cron, out var quartz, out _))
        {
            job.Cron = quartz;
        }

        job.DoneUtc = null;
    }

    /// <summary>Enqueues a run now; null when the job does not exist.</summary>
    public async Task<string?> RunNowAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        return job is null ? null : dispatcher.RunNow(job);
    }

    public Task<IReadOnlyList<CronRun>> GetRunsAsync(string jobId, int max, CancellationToken cancellationToken) => store.GetRunsAsync(jobId, max, cancellationToken);

    /// <summary>Writes the configured jobs (validated at start) whose stored version differs; unchanged ones keep their
    /// timestamps so missed-fire accounting is not reset by a restart.</summary>
    public async Task ImportAsync(IEnumerable<CronJobDefinition> jobs, CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            var stored = await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false);
            var copy = CronJson.Deserialize<CronJobDefinition>(CronJson.Serialize(job))!;
            Normalize(copy);
            copy.UpdatedUtc = stored?.UpdatedUtc;

            // A configured one-shot that fired stays done across restarts (until its time is changed).
            copy.DoneUtc = stored is not null && stored.At == copy.At ? stored.DoneUtc : null;
            if (stored is not null && CronJson.Serialize(stored) == CronJson.Serialize(copy))
            {
                continue;
            }

            copy.UpdatedUtc = time.GetUtcNow();
            await store.SaveAsync(copy, cancellationToken).ConfigureAwait(false);
        }
    }
}
