using Microsoft.Extensions.Options;
using OpenClaw.Channels.Cron;

namespace OpenClaw.Channels.Hub;

/// <summary>Gives the cron lane this node's identity and timings from <see cref="HubOptions"/>, so both lanes agree.</summary>
internal sealed class HubCronNodeOptions(IOptions<HubOptions> hubOptions) : IConfigureOptions<CronNodeOptions>
{
    public void Configure(CronNodeOptions options)
    {
        var hub = hubOptions.Value;
        options.NodeId = hub.NodeId;
        options.KeyPrefix = hub.KeyPrefix;
        options.AgentId = hub.AgentId;
        options.NodeTtl = TimeSpan.FromMilliseconds(hub.NodeTtlMs);
        options.LockWait = TimeSpan.FromMilliseconds(hub.LockWaitMs);
        options.SchedulePollingInterval = TimeSpan.FromMilliseconds(hub.SchedulePollingMs);
    }
}
