using Hangfire;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A Hangfire <see cref="JobStorage"/> that forwards every member to <see cref="Inner"/>; a decorator
/// (<see cref="FetchGateJobStorage"/>, <see cref="LeanRedisJobStorage"/>) overrides only what it changes, usually
/// <see cref="GetConnection"/>.</summary>
internal abstract class ForwardingJobStorage : JobStorage
{
    /// <summary>Wraps <paramref name="inner"/> and takes over its job expiration timeout.</summary>
    /// <param name="inner">The storage decorated.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    protected ForwardingJobStorage(JobStorage inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        JobExpirationTimeout = inner.JobExpirationTimeout;
    }

    /// <summary>The decorated storage.</summary>
    protected JobStorage Inner { get; }

    /// <inheritdoc />
    public override bool LinearizableReads => Inner.LinearizableReads;

    /// <inheritdoc />
    public override IMonitoringApi GetMonitoringApi() => Inner.GetMonitoringApi();

    /// <inheritdoc />
    public override IStorageConnection GetConnection() => Inner.GetConnection();

    /// <inheritdoc />
    public override IStorageConnection GetReadOnlyConnection() => Inner.GetReadOnlyConnection();

#pragma warning disable CS0618, CS0672 // Hangfire.Redis still registers its pub/sub subscription as a server component.
    /// <inheritdoc />
    public override IEnumerable<IServerComponent> GetComponents() => Inner.GetComponents();
#pragma warning restore CS0618, CS0672

    /// <inheritdoc />
    public override IEnumerable<IBackgroundProcess> GetServerRequiredProcesses() => Inner.GetServerRequiredProcesses();

    /// <inheritdoc />
    public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses() => Inner.GetStorageWideProcesses();

    /// <inheritdoc />
    public override IEnumerable<IStateHandler> GetStateHandlers() => Inner.GetStateHandlers();

    /// <inheritdoc />
    public override void WriteOptionsToLog(ILog logger) => Inner.WriteOptionsToLog(logger);

    /// <inheritdoc />
    public override bool HasFeature(string featureId) => Inner.HasFeature(featureId);

    /// <inheritdoc />
    public override string ToString() => Inner.ToString() ?? GetType().Name;
}
