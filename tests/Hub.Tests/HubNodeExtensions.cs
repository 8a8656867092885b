using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub;

namespace OpenClaw.Channels.Tests;

public static class HubNodeExtensions
{
    public static string GetNodeId(this IServiceProvider services) => services.GetRequiredService<IOptions<HubOptions>>().Value.NodeId;

    /// <summary>Waits until at least <paramref name="finished"/> jobs have Succeeded or Failed and none is enqueued on
    /// the node's queue or processing: the positive marker before a "nothing more happened" assertion.</summary>
    public static Task WaitForIdleAsync(this HubNode node, int finished, TimeSpan timeout) => WaitForIdleAsync([node], finished, timeout);

    /// <summary>As <see cref="WaitForIdleAsync(HubNode, int, TimeSpan)"/> over the queues of <paramref name="nodes"/>
    /// (one job storage, the first node's).</summary>
    public static async Task WaitForIdleAsync(IReadOnlyList<HubNode> nodes, int finished, TimeSpan timeout)
    {
        var monitoring = nodes[0].Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        long enqueued = 0, processing = 0, done = 0;
        await Eventually.UntilAsync(
            () =>
            {
                enqueued = nodes.Sum(n => monitoring.EnqueuedCount("node-" + n.Services.GetNodeId()));
                processing = monitoring.ProcessingCount();
                done = monitoring.SucceededListCount() + monitoring.FailedCount();
                return enqueued == 0 && processing == 0 && done >= finished;
            },
            timeout,
            () => $"not idle: {enqueued} enqueued, {processing} processing, {done} finished");
    }
}
