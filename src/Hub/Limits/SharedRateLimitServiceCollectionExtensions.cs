using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Limits;

/// <summary>Registers <see cref="ISharedRateLimiter"/> for the adapters' outbound pacing: buckets in Redis when the hub
/// has an <see cref="IConnectionMultiplexer"/> (shared by all nodes), else in process.</summary>
internal static class SharedRateLimitServiceCollectionExtensions
{
    public static IServiceCollection AddSharedRateLimits(this IServiceCollection services)
    {
        // Last registration wins over the adapters' TryAdd of a process-local default.
        services.AddSingleton<ISharedRateLimiter>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisRateLimiter(redis, sp.GetRequiredService<IOptions<HubOptions>>().Value.KeyPrefix)
            : new LocalRateLimiter(sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
