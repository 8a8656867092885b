using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A Hangfire <see cref="JobStorageConnection"/> that forwards every call to <see cref="Inner"/>; a decorator
/// overrides only what it changes. The extended calls (<see cref="JobStorageConnection"/> members beyond
/// <see cref="IStorageConnection"/>) throw <see cref="NotSupportedException"/> when the inner connection lacks them.</summary>
/// <param name="inner">The connection decorated (disposed with this one).</param>
internal abstract class ForwardingStorageConnection(IStorageConnection inner) : JobStorageConnection
{
    private readonly JobStorageConnection? _extended = inner as JobStorageConnection;

    /// <summary>The decorated connection.</summary>
    protected IStorageConnection Inner { get; } = inner;

    private JobStorageConnection Extended => _extended ?? throw new NotSupportedException("The inner Hangfire storage connection does not support this call.");

    public override void Dispose()
    {
        Inner.Dispose();
        base.Dispose();
    }

    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken) => Inner.FetchNextJob(queues, cancellationToken);

    public override IWriteOnlyTransaction CreateWriteTransaction() => Inner.CreateWriteTransaction();

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout) => Inner.AcquireDistributedLock(resource, timeout);

    public override string CreateExpiredJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn) => Inner.CreateExpiredJob(job, parameters, createdAt, expireIn);

    public override void SetJobParameter(string id, string name, string value) => Inner.SetJobParameter(id, name, value);

    public override string GetJobParameter(string id, string name) => Inner.GetJobParameter(id, name);

    public override JobData GetJobData(string jobId) => Inner.GetJobData(jobId);

    public override StateData GetStateData(string jobId) => Inner.GetStateData(jobId);

    public override void AnnounceServer(string serverId, ServerContext context) => Inner.AnnounceServer(serverId, context);

    public override void RemoveServer(string serverId) => Inner.RemoveServer(serverId);

    public override void Heartbeat(string serverId) => Inner.Heartbeat(serverId);

    public override int RemoveTimedOutServers(TimeSpan timeOut) => Inner.RemoveTimedOutServers(timeOut);

    public override HashSet<string> GetAllItemsFromSet(string key) => Inner.GetAllItemsFromSet(key);

    public override string GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) => Inner.GetFirstByLowestScoreFromSet(key, fromScore, toScore);

    public override List<string> GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore, int count) => Extended.GetFirstByLowestScoreFromSet(key, fromScore, toScore, count);

    public override long GetSetCount(string key) => Extended.GetSetCount(key);

    public override long GetSetCount(IEnumerable<string> keys, int limit) => Extended.GetSetCount(keys, limit);

    public override bool GetSetContains(string key, string value) => Extended.GetSetContains(key, value);

    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt) => Extended.GetRangeFromSet(key, startingFrom, endingAt);

    public override TimeSpan GetSetTtl(string key) => Extended.GetSetTtl(key);

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs) => Inner.SetRangeInHash(key, keyValuePairs);

    public override Dictionary<string, string> GetAllEntriesFromHash(string key) => Inner.GetAllEntriesFromHash(key);

    public override string GetValueFromHash(string key, string name) => Extended.GetValueFromHash(key, name);

    public override long GetHashCount(string key) => Extended.GetHashCount(key);

    public override TimeSpan GetHashTtl(string key) => Extended.GetHashTtl(key);

    public override long GetListCount(string key) => Extended.GetListCount(key);

    public override List<string> GetAllItemsFromList(string key) => Extended.GetAllItemsFromList(key);

    public override List<string> GetRangeFromList(string key, int startingFrom, int endingAt) => Extended.GetRangeFromList(key, startingFrom, endingAt);

    public override TimeSpan GetListTtl(string key) => Extended.GetListTtl(key);

    public override long GetCounter(string key) => Extended.GetCounter(key);

    public override DateTime GetUtcDateTime() => Extended.GetUtcDateTime();
}
