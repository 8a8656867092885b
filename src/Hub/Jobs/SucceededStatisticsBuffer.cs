using System.Collections.Concurrent;
using System.Globalization;
using Hangfire;
using Hangfire.States;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Stands in for Hangfire's <see cref="StatisticsHistoryAttribute"/> (the dashboard's history graphs): a
/// succeeded job is counted in process and the counts are added to the same keys
/// (<c>stats:succeeded:yyyy-MM-dd</c> kept a month, <c>stats:succeeded:yyyy-MM-dd-HH</c> kept a day) every
/// <see cref="FlushInterval"/> (<see cref="HubOptions.StatisticsFlushMs"/>) with one script per hour bucket, instead of <c>INCR</c> and <c>EXPIRE</c> on both keys in
/// every job's Succeeded transaction (four commands per job). Failed and deleted jobs are counted in their transaction as
/// before. The succeeded total (<c>stats:succeeded</c>, the dashboard's counter) is added by the same flush
/// (<see cref="CountSucceededTotal"/>: what <see cref="LeanRedisJobStorage"/>'s committed transactions would have
/// <c>INCR</c>ed, one command less per job); a job leaving Succeeded (a requeue) still decrements it in its transaction.</summary>
/// <remarks>A node that dies loses at most <see cref="FlushInterval"/> of counts, history graphs and the succeeded total
/// alike (the dashboard's total then falls short of the jobs that succeeded); between flushes the total lags by up to
/// that interval. The same timer keeps the succeeded and deleted lists at their size (see <see cref="FlushAsync"/>).</remarks>
/// <param name="redis">The Hangfire storage's multiplexer.</param>
/// <param name="hangfirePrefix">The storage's <c>RedisStorageOptions.Prefix</c>.</param>
/// <param name="time">Clock of the buckets and the flush timer.</param>
/// <param name="logger">Logger.</param>
/// <param name="flushInterval">How often the counts are written; null: <see cref="DefaultFlushInterval"/>.</param>
internal sealed partial class SucceededStatisticsBuffer(IConnectionMultiplexer redis, string hangfirePrefix, TimeProvider time, ILogger<SucceededStatisticsBuffer> logger, TimeSpan? flushInterval = null) : BackgroundService, IElectStateFilter
{
    /// <summary>The default of <see cref="FlushInterval"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>Last index kept of the succeeded and deleted lists: Hangfire.Redis's default <c>SucceededListSize</c> and
    /// <c>DeletedListSize</c> (499).</summary>
    public const int ListSize = 499;

    private static readonly TimeSpan HourlyTtl = TimeSpan.FromDays(1);

    // KEYS: daily, hourly. ARGV: count, daily ttl ms, hourly ttl s.
    private const string FlushScript =
        """
        redis.call('INCRBY', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('INCRBY', KEYS[2], ARGV[1])
        redis.call('EXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    private readonly ConcurrentDictionary<DateTime, Counter> _counts = new();
    private readonly Counter _total = new();

    /// <summary>How often the counts are written.</summary>
    public TimeSpan FlushInterval { get; } = flushInterval ?? DefaultFlushInterval;

    /// <summary>Hangfire's filter callback: counts a job electing Succeeded, and for Failed and Deleted adds the counter
    /// writes to the transaction exactly as <see cref="StatisticsHistoryAttribute"/> does.</summary>
    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState.Name == SucceededState.StateName)
        {
            CountSucceeded();
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;

        var kind = context.CandidateState.Name == FailedState.StateName ? "failed" : context.CandidateState is DeletedState ? "deleted" : null;
        if (kind is not null)
        {
            context.Transaction.IncrementCounter(DailyKey(kind, now, string.Empty), now.AddMonths(1) - now);
            context.Transaction.IncrementCounter(HourlyKey(kind, now, string.Empty), HourlyTtl);
        }
    }

    /// <summary>Counts one succeeded job in the current hour's bucket.</summary>
    public void CountSucceeded()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        Interlocked.Increment(ref _counts.GetOrAdd(hour, static _ => new Counter()).Count);
    }

    /// <summary>Adds <paramref name="count"/> committed increments of the succeeded total (<c>stats:succeeded</c>) to the
    /// next flush.</summary>
    /// <param name="count">Jobs that entered Succeeded.</param>
    public void CountSucceededTotal(long count) => Interlocked.Add(ref _total.Count, count);

    /// <summary>Adds the buffered counts (and the succeeded total) to Redis; a bucket whose write fails keeps its count for the next flush. Also trims
    /// the dashboard's succeeded and deleted lists to <see cref="ListSize"/> (Hangfire.Redis trims them only when the
    /// storage it is handed is its own <c>RedisStorage</c>, which the hub's decorated storage is not).</summary>
    /// <returns>The number of jobs written.</returns>
    public async Task<long> FlushAsync()
    {
        long written = 0;
        try
        {
            var db = redis.GetDatabase();
            await Task.WhenAll(
                db.ListTrimAsync(hangfirePrefix + "succeeded", 0, ListSize),
                db.ListTrimAsync(hangfirePrefix + "deleted", 0, ListSize)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogFlushFailed(logger, ex);
        }

        var total = Interlocked.Exchange(ref _total.Count, 0);
        if (total > 0)
        {
            try
            {
                await redis.GetDatabase().StringIncrementAsync(hangfirePrefix + LeanWriteTransaction.SucceededTotalKey, total).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Interlocked.Add(ref _total.Count, total);
                LogFlushFailed(logger, ex);
            }
        }

        foreach (var (hour, box) in _counts)
        {
            var count = Interlocked.Exchange(ref box.Count, 0);
            if (count == 0)
            {
                if (hour < time.GetUtcNow().UtcDateTime.AddHours(-2))
                {
                    _counts.TryRemove(hour, out _);
                }

                continue;
            }

            try
            {
                var now = time.GetUtcNow().UtcDateTime;
                await redis.GetDatabase().ScriptEvaluateAsync(
                    FlushScript,
                    [DailyKey("succeeded", hour, hangfirePrefix), HourlyKey("succeeded", hour, hangfirePrefix)],
                    [count, (long)(now.AddMonths(1) - now).TotalMilliseconds, (long)HourlyTtl.TotalSeconds]).ConfigureAwait(false);
                written += count;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Interlocked.Add(ref box.Count, count);
                LogFlushFailed(logger, ex);
            }
        }

        return written;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping: StopAsync flushes once more
        }
    }

    private static string DailyKey(string kind, DateTime at, string prefix)
        => $"{prefix}stats:{kind}:{at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    private static string HourlyKey(string kind, DateTime at, string prefix)
        => $"{prefix}stats:{kind}:{at.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the dashboard's succeeded-jobs history failed; the counts are kept for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);

    private sealed class Counter
    {
        public long Count;
    }
}
