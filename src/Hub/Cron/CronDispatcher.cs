using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Hub.Cron;

/// <summary>Turns a fire into one Hangfire job on the <c>cron</c> queue: the fire key
/// <c>cron:fire:{jobId}:{fireTimeUnixSeconds}</c> is claimed with SET NX, and only the winner enqueues.</summary>
internal sealed partial class CronDispatcher(
    ICronStore store,
    IBackgroundJobClient jobs,
    IOptions<CronOptions> options,
    TimeProvider time,
    ILogger<CronDispatcher> logger)
{
    /// <summary>The Hangfire queue of cron runs.</summary>
    public const string Queue = "cron";

    private long _firesSeen;
    private long _firesWon;

    /// <summary>Fires this node's scheduler handed in (claimed or not).</summary>
    public long FiresSeen => Interlocked.Read(ref _firesSeen);

    /// <summary>Fires this node claimed and enqueued.</summary>
    public long FiresWon => Interlocked.Read(ref _firesWon);

    /// <summary>Claims the fire of <paramref name="jobId"/> at <paramref name="fireTimeUtc"/> and enqueues its run.</summary>
    /// <returns>True when this call enqueued the run; false when another node (or an earlier call) had it, or the job
    /// is gone or disabled.</returns>
    public async Task<bool> FireAsync(string jobId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _firesSeen);
        var job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null || !job.Enabled)
        {
            return false;
        }

        var fireKey = fireTimeUtc.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (!await store.TryClaimFireAsync(jobId, fireKey, TimeSpan.FromSeconds(options.Value.FireKeyTtlSeconds), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Interlocked.Increment(ref _firesWon);
        await store.SetLastFireAsync(jobId, fireTimeUtc, cancellationToken).ConfigureAwait(false);
        var hangfireId = Enqueue(job, fireTimeUtc, manual: false);
        LogEnqueued(logger, jobId, fireTimeUtc, hangfireId);
        return true;
    }

    /// <summary>Enqueues a run now ("run now" in the API), regardless of schedule and enabled flag.</summary>
    /// <returns>The Hangfire job id.</returns>
    public string RunNow(CronJobDefinition job) => Enqueue(job, CronTiming.Truncate(time.GetUtcNow()), manual: true);

    private string Enqueue(CronJobDefinition job, DateTimeOffset fireTimeUtc, bool manual)
    {
        var id = job.Id;
        var name = job.DisplayName;
        var fire = fireTimeUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var call = Job.FromExpression<CronRunJob>(j => j.RunAsync(id, name, fire, manual, CancellationToken.None));
        return jobs.Create(call, new EnqueuedState(Queue));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cron job {JobId} fire {FireTime} enqueued as {HangfireJobId}")]
    private static partial void LogEnqueued(ILogger logger, string jobId, DateTimeOffset fireTime, string hangfireJobId);
}
