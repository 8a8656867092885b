using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using OpenClaw.Channels.Hub.Jobs;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>Sends a session's run to the Hangfire queue of the node that owns the session on the ring
/// (<c>node-{nodeId}</c>). Stickiness is an optimisation; the session lock is the guarantee.</summary>
internal sealed class SessionRouter(RingService ring, IBackgroundJobClient jobs)
{
    /// <summary>Queue name of a node.</summary>
    public static string QueueOf(string nodeId) => "node-" + nodeId;

    /// <summary>Enqueues an agent run for <paramref name="sessionKey"/> on its owner's queue.</summary>
    /// <returns>The owner node id.</returns>
    public string ScheduleRun(string sessionKey)
    {
        var owner = ring.Ring.Owner(sessionKey);
        var job = Job.FromExpression<AgentRunJob>(j => j.RunAsync(sessionKey, CancellationToken.None));
        jobs.Create(job, new EnqueuedState(QueueOf(owner)));
        return owner;
    }
}
