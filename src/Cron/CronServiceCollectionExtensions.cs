using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using StackExchange.Redis;

namespace OpenClaw.Channels.Cron;

/// <summary>Registers the cron lane.</summary>
public static class CronServiceCollectionExtensions
{
    /// <summary>Adds the cron lane: <see cref="CronOptions"/> from the <c>Cron</c> section (validated at start, jobs
    /// included), the definition/history store (<see cref="RedisCronStore"/>: the Redis server, or the
    /// embedded Garnet server), this node's Quartz scheduler as a hosted service, the Hangfire server of the
    /// <c>cron</c> queue (<c>{NodeId}-cron</c>, <see cref="CronOptions.Concurrency"/> workers) and the agent tools
    /// <c>schedule_job</c>, <c>list_jobs</c>, <c>cancel_job</c>. What the lane takes from its host, registered before it
    /// runs (<c>AddHub</c> does all of it): <see cref="CronNodeOptions"/> (configured by the host), the Redis connection
    /// (<see cref="IConnectionMultiplexer"/>), Hangfire's storage and client, the session locks
    /// (<see cref="ISessionLockProvider"/>), the agent (<see cref="IAgentRunner"/>) and the channel adapters
    /// (<see cref="IChannelAdapter"/>, looked up through <see cref="ChannelSenders"/>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The root configuration.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddCron(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CronOptions>().Bind(configuration.GetSection(CronOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CronOptions>, CronOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChannelSenders>();

        services.AddSingleton<ICronStore>(sp => new RedisCronStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            new CronKeys(sp.GetRequiredService<IOptions<CronNodeOptions>>().Value.KeyPrefix),
            sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<CronJobValidator>();
        services.AddSingleton<CronDispatcher>();
        services.AddSingleton<CronJobService>();
        services.AddSingleton<CronFireJob>();
        services.AddSingleton<CronJobFactory>();
        services.AddSingleton<CronScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CronScheduler>());
        services.AddTransient<CronRunJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentToolProvider, CronToolProvider>());

        services.AddHangfireServer((sp, server) =>
        {
            var node = sp.GetRequiredService<IOptions<CronNodeOptions>>().Value;
            server.ServerName = node.NodeId + "-cron";
            server.WorkerCount = sp.GetRequiredService<IOptions<CronOptions>>().Value.Concurrency;
            server.Queues = [CronDispatcher.Queue];
            server.ShutdownTimeout = TimeSpan.FromSeconds(10);
            // Any server's schedulers move every due delayed job (retries of both lanes) and each look takes a Redis
            // lock round: poll as seldom as the chat lane (Hub:SchedulePollingMs), not every second.
            server.SchedulePollingInterval = node.SchedulePollingInterval;
        });
        return services;
    }
}
