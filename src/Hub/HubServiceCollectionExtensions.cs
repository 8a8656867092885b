using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Hub.Cron;
using OpenClaw.Channels.Hub.Dashboard;
using OpenClaw.Channels.Hub.Health;
using OpenClaw.Channels.Hub.Inbound;
using OpenClaw.Channels.Hub.Jobs;
using OpenClaw.Channels.Hub.Limits;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Ownership;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Hub.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RedLockNet;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub;

/// <summary>Registers the hub: stores, inbound pipeline, ring and router, session locks, Hangfire, health, telemetry.</summary>
public static class HubServiceCollectionExtensions
{
    /// <summary>Adds the hub's services. With <c>ConnectionStrings:Redis</c> set, everything shared lives in Redis
    /// (Hangfire.Redis.StackExchange, RedLock.net, dedupe keys, inboxes, transcripts, ring membership); without it the
    /// embedded parts run in process (Hangfire.InMemory, an in-process lock and dedupe, JSONL transcripts under
    /// <see cref="HubOptions.DataDirectory"/>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The root configuration.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubOptions>().Bind(configuration.GetSection(HubOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var dashboard = configuration.GetSection(DashboardAccessOptions.SectionName).Get<DashboardAccessOptions>() ?? new DashboardAccessOptions();
        services.AddSingleton(dashboard);
        services.TryAddSingleton(TimeProvider.System);
        var hub = configuration.GetSection(HubOptions.SectionName).Get<HubOptions>() ?? new HubOptions();
        var redisConnection = configuration.GetConnectionString("Redis");

        if (string.IsNullOrWhiteSpace(redisConnection))
        {
            AddEmbedded(services, hub);
        }
        else
        {
            AddRedis(services, hub, redisConnection);
        }

        services.AddConnectionOwnership(); // platform connections held once per cluster (src/Hub/Ownership)
        services.AddSharedRateLimits(); // outbound pacing shared by the cluster (src/Hub/Limits)
        services.AddSingleton<HubTelemetry>();
        services.AddHostedService<QueueDepthObserver>();
        services.AddSingleton<RingService>();
        services.AddHostedService(sp => sp.GetRequiredService<RingService>());
        services.AddSingleton<SessionRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRouter>());
        services.AddHostedService<SessionRescueService>();
        services.AddSingleton<IInboundPipeline, InboundPipeline>();
        services.AddSingleton<ChannelSenders>();
        services.AddTransient<AgentRunJob>();

        // Hangfire: storage and activator live in this container (not Hangfire's static defaults), so several hubs can
        // share a process in tests.
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHangfireServer((sp, server) =>
        {
            var options = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            server.ServerName = options.NodeId;
            server.WorkerCount = options.WorkerCount;
            server.Queues = [SessionRouter.QueueOf(options.NodeId), "default"];
            server.ShutdownTimeout = TimeSpan.FromSeconds(10);
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });

        // Cron lane: definitions, Quartz scheduler, the `cron` queue's Hangfire server, agent tools (src/Hub/Cron).
        services.AddCron(configuration);

        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
            .AddCheck<JobServerHealthCheck>("jobs", tags: ["ready"]);

        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(ChannelDiagnostics.Name, ChannelDiagnostics.Name + ".*")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(ChannelDiagnostics.Name, ChannelDiagnostics.Name + ".*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    // Telegram puts the bot token and Discord the interaction token in URL paths: never in a span.
                    if (request.RequestUri is { } uri)
                    {
                        activity.SetTag("url.full", SecretRedactor.RedactUrl(uri));
                    }
                }));
        return services;
    }

    private static void AddEmbedded(IServiceCollection services, HubOptions hub)
    {
        services.AddSingleton<ISessionStore, MemorySessionStore>();
        services.AddSingleton<IChannelStateStore>(sp => new FileChannelStateStore(sp.GetRequiredService<IOptions<HubOptions>>().Value.DataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISessionLockProvider, LocalSessionLockProvider>();
        services.AddSingleton<INodeRegistry>(sp => new LocalNodeRegistry(sp.GetRequiredService<IOptions<HubOptions>>().Value.NodeId));
        services.AddSingleton<JobStorage>(sp =>
        {
            // Hangfire.InMemory takes a logger from Hangfire's process-wide log provider when constructed: point that
            // provider at this host first (AddHangfire's configuration callback does it).
            sp.GetRequiredService<IGlobalConfiguration>();
            return new InMemoryStorage(new InMemoryStorageOptions());
        });

        // Transcripts follow Hub:DataDirectory unless Agent:Transcripts:Directory is set explicitly.
        services.PostConfigure<JsonlTranscriptOptions>(o =>
        {
            if (o.Directory == new JsonlTranscriptOptions().Directory)
            {
                o.Directory = Path.Combine(hub.DataDirectory, "transcripts");
            }
        });
    }

    private static void AddRedis(IServiceCollection services, HubOptions hub, string connection)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(connection));
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<HubOptions>>().Value.KeyPrefix));
        services.AddSingleton<ISessionStore, RedisSessionStore>();
        services.AddSingleton<IChannelStateStore, RedisChannelStateStore>();
        services.AddSingleton<INodeRegistry, RedisNodeRegistry>();
        services.AddSingleton<ITranscriptStore, RedisTranscriptStore>();
        services.AddSingleton<IDistributedLockFactory>(sp =>
        {
            var endpoints = hub.RedLockEndpoints.Count == 0
                ? [new RedLockMultiplexer(sp.GetRequiredService<IConnectionMultiplexer>())]
                : hub.RedLockEndpoints.Select(e => new RedLockMultiplexer(ConnectionMultiplexer.Connect(e))).ToList();
            return RedLockFactory.Create(endpoints, sp.GetService<ILoggerFactory>());
        });
        services.AddSingleton<ISessionLockProvider>(sp => new RedLockSessionLockProvider(
            sp.GetRequiredService<IDistributedLockFactory>(),
            sp.GetRequiredService<RedisKeys>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<HubOptions>>().Value.LockLeaseMs)));
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            var redis = new RedisStorage(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                new RedisStorageOptions
                {
                    Prefix = sp.GetRequiredService<RedisKeys>().HangfirePrefix,
                    FetchTimeout = TimeSpan.FromMilliseconds(options.JobFetchTimeoutMs),
                });
            return new FetchGateJobStorage(redis, options.JobFetchers);
        });
    }
}
