using Hangfire;
using Hangfire.Common;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Hangfire's filters (<see cref="JobFilterProviders.Providers"/>: the global filters and the job's attributes)
/// with <see cref="StatisticsHistoryAttribute"/> replaced by <see cref="SucceededStatisticsBuffer"/>. Registered as the
/// container's <see cref="IJobFilterProvider"/>, so the job servers, the client and the dashboard use it without changing
/// Hangfire's static <see cref="GlobalJobFilters"/>.</summary>
/// <param name="inner">The filters to start from.</param>
/// <param name="statistics">The buffered statistics filter.</param>
internal sealed class HubJobFilterProvider(IJobFilterProvider inner, SucceededStatisticsBuffer statistics) : IJobFilterProvider
{
    public IEnumerable<JobFilter> GetFilters(Job job)
    {
        foreach (var filter in inner.GetFilters(job))
        {
            yield return filter.Instance is StatisticsHistoryAttribute ? new JobFilter(statistics, filter.Scope, filter.Order) : filter;
        }
    }
}
