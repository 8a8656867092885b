using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Replies;

/// <summary>Registers <see cref="IPassiveReplyHandover"/> for the adapters (WeChat's passive reply): slots in Redis when
/// the hub has an <see cref="IConnectionMultiplexer"/> (Redis mode, or the embedded Garnet server), so an answer reaches
/// the callback on whichever node holds it; else in process. A run waits for the callback's confirmation no longer than
/// the window plus 2 s, and less once the callback's node left the node registry (<c>Hub:NodeTtlMs</c>).</summary>
internal static class PassiveReplyServiceCollectionExtensions
{
    public static IServiceCollection AddPassiveReplyHandover(this IServiceCollection services)
    {
        // Last registration wins over the adapters' TryAdd of a process-local default.
        services.AddSingleton<IPassiveReplyHandover>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            if (sp.GetService<IConnectionMultiplexer>() is not { } redis)
            {
                return new LocalPassiveReplyHandover(time);
            }

            var hub = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            Func<CancellationToken, Task<IReadOnlyList<string>>>? live = sp.GetService<Routing.INodeRegistry>() is { } registry
                ? ct => registry.GetLiveNodesAsync(TimeSpan.FromMilliseconds(hub.NodeTtlMs), ct)
                : null;
            return new RedisPassiveReplyHandover(redis, hub.KeyPrefix, time, hub.NodeId, live);
        });
        return services;
    }
}
