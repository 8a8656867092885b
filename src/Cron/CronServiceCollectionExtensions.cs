using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Cron;

/// <summary>Registers the cron lane.</summary>
public static class CronServiceCollectionExtensions
{
    /// <summary>Adds the cron lane: <see cref="CronOptions"/> from the <c>Cron</c> section (validated at start, jobs
    /// included), the definition/history store (<see cref="RedisCronStore"/>: the Redis server, or the
    /// embedded Garnet server), this node's Quartz scheduler as a hosted service, the Hangfire server of the
    /// <c>cron</c> queue (<c>{NodeId}-cron</c>, <see cref="CronOptions.Concurrency"/> workers) and the agent tools
    /// <c>schedule_job</c>, <c>list_jobs</c>, <c>cancel_job</c>. Call after the hub's Hangfire and store registrations
    /// (<c>AddHub</c> does).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The root configuration.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddCron(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CronOptions>().Bind(configuration.GetSection(CronOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CronOptions>, CronOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<ICronStore>(sp => new RedisCronStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            new CronKeys(sp.GetRequiredService<IOptions<HubOptions>>().Value.KeyPrefix),
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
            var hub = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            server.ServerName = hub.NodeId + "-cron";
            server.WorkerCount = sp.GetRequiredService<IOptions<CronOptions>>().Value.Concurrency;
            server.Queues = [CronDispatcher.Queue];
            server.ShutdownTimeout = TimeSpan.FromSeconds(10);
            // Any server's schedulers move every due delayed job (retries of both lanes) and each look takes a Redis
            // lock round: poll as seldom as the chat lane (Hub:SchedulePollingMs), not every second.
            server.SchedulePollingInterval = TimeSpan.FromMilliseconds(hub.SchedulePollingMs);
        });
        return services;
    }
}
