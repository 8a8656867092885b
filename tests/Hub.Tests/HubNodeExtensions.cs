using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub;

namespace OpenClaw.Channels.Tests;

public static class HubNodeExtensions
{
    public static string GetNodeId(this IServiceProvider services) => services.GetRequiredService<IOptions<HubOptions>>().Value.NodeId;
}
