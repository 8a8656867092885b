using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Replies;

/// <summary>Registers <see cref="IPassiveReplyHandover"/> for the adapters (WeChat's passive reply): slots in Redis when
/// the hub has an <see cref="IConnectionMultiplexer"/> (Redis mode, or the embedded Garnet server), so an answer reaches
/// the callback on whichever node holds it; else in process.</summary>
internal static class PassiveReplyServiceCollectionExtensions
{
    public static IServiceCollection AddPassiveReplyHandover(this IServiceCollection services)
    {
        // Last registration wins over the adapters' TryAdd of a process-local default.
        services.AddSingleton<IPassiveReplyHandover>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisPassiveReplyHandover(redis, sp.GetRequiredService<IOptions<HubOptions>>().Value.KeyPrefix, sp.GetRequiredService<TimeProvider>())
            : new LocalPassiveReplyHandover(sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
