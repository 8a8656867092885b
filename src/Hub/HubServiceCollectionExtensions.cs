using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Hub.Broadcast;
using OpenClaw.Channels.Hub.Dashboard;
using OpenClaw.Channels.Hub.Embedded;
using OpenClaw.Channels.Hub.Health;
using OpenClaw.Channels.Hub.History;
using OpenClaw.Channels.Hub.Inbound;
using OpenClaw.Channels.Hub.Jobs;
using OpenClaw.Channels.Hub.Limits;
using OpenClaw.Channels.Hub.Locks;
using OpenClaw.Channels.Hub.Operations;
using OpenClaw.Channels.Hub.Ownership;
using OpenClaw.Channels.Hub.Replies;
using OpenClaw.Channels.Hub.Routing;
using OpenClaw.Channels.Hub.Security;
using OpenClaw.Channels.Hub.Stores;
using OpenClaw.Channels.Hub.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub;

/// <summary>Registers the hub: stores, inbound pipeline, ring and router, session locks, Hangfire, health, telemetry.</summary>
public static class HubServiceCollectionExtensions
{
    /// <summary>The OpenTelemetry <c>service.name</c> of the hub unless <c>OTEL_SERVICE_NAME</c> is set:
    /// <c>openclaw-channels-hub</c> (<c>service.instance.id</c> is the node id).</summary>
    public const string ServiceName = "openclaw-channels-hub";

    /// <summary>Adds the hub's services. Everything shared lives in Redis (Hangfire.Redis.StackExchange, Redlock session leases,
    /// dedupe keys, inboxes, transcripts, channel state, cron definitions, ring membership): the server of
    /// <c>ConnectionStrings:Redis</c>, or, without it, an in-process Garnet server with its files under
    /// <see cref="HubOptions.DataDirectory"/> (<see cref="EmbeddedOptions"/>, section <c>Hub:Embedded</c>). Both modes run
    /// the same code.</summary>
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
        services.AddHubSecurity(hub, dashboard);

        if (string.IsNullOrWhiteSpace(redisConnection))
        {
            services.AddOptions<EmbeddedOptions>().Bind(configuration.GetSection(EmbeddedOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton(sp => new EmbeddedGarnet(
                sp.GetRequiredService<IOptions<HubOptions>>().Value.DataDirectory,
                sp.GetRequiredService<IOptions<EmbeddedOptions>>().Value,
                sp.GetRequiredService<ILoggerFactory>()));
            AddRedis(services, hub, sp => sp.GetRequiredService<EmbeddedGarnet>().ConnectionString);
        }
        else
        {
            AddRedis(services, hub, _ => redisConnection);
        }

        services.AddConnectionOwnership(); // platform connections held once per cluster (src/Hub/Ownership)
        services.AddSharedRateLimits(); // outbound pacing shared by the cluster (src/Hub/Limits)
        services.AddPassiveReplyHandover(); // WeChat passive replies from any node (src/Hub/Replies)
        services.AddSingleton<HubTelemetry>();
        services.AddHostedService<StartupSummary>();
        services.AddSingleton<ChannelStatusBoard>();
        services.AddSingleton<Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheckPublisher>(sp => sp.GetRequiredService<ChannelStatusBoard>());
        services.AddHostedService<QueueDepthObserver>();
        services.AddSingleton<RingService>();
        services.AddHostedService(sp => sp.GetRequiredService<RingService>());
        services.AddSingleton<SessionRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRouter>());
        services.AddHostedService<SessionRescueService>();
        services.AddSingleton<InboundAdmission>();
        services.AddSingleton<IInboundPipeline, InboundPipeline>();
        services.AddSingleton<ChannelSenders>();
        services.TryAddSingleton<IConversationHistory, TranscriptConversationHistory>();
        services.TryAddSingleton<IChannelBroadcast>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisChannelBroadcast(redis, sp.GetRequiredService<RedisKeys>())
            : new LocalChannelBroadcast());
        services.AddSingleton<ChatCommands>();
        services.AddTransient<AgentRunJob>();

        // Hangfire: storage and activator live in this container (not Hangfire's static defaults), so several hubs can
        // share a process in tests.
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseTypeResolver(CronHangfireTypes.Resolve) // cron jobs enqueued while the lane lived in this assembly
            .UseRecommendedSerializerSettings());
        services.AddHangfireServer((sp, server) =>
        {
            var options = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            server.ServerName = options.NodeId;
            server.WorkerCount = ChatWorkers(options, sp.GetRequiredService<IOptions<AgentOptions>>().Value);
            server.Queues = [SessionRouter.QueueOf(options.NodeId), "default"];
            server.ShutdownTimeout = TimeSpan.FromMilliseconds(options.ShutdownTimeoutMs) + TimeSpan.FromSeconds(5);
            server.SchedulePollingInterval = TimeSpan.FromMilliseconds(options.SchedulePollingMs);
            server.HeartbeatInterval = SessionRescueService.ServerHeartbeat(options); // the rescue sweep tells a dead run by it
        });

        // Graceful shutdown: the host waits for the job server, which waits for turns in flight (Hub:ShutdownTimeoutMs).
        services.Configure<HostOptions>(o =>
        {
            var wanted = TimeSpan.FromMilliseconds(hub.ShutdownTimeoutMs) + TimeSpan.FromSeconds(10);
            if (o.ShutdownTimeout < wanted)
            {
                o.ShutdownTimeout = wanted;
            }
        });

        // Cron lane: definitions, Quartz scheduler, the `cron` queue's Hangfire server, agent tools (src/Cron).
        services.AddSingleton<IConfigureOptions<CronNodeOptions>, HubCronNodeOptions>();
        services.AddCron(configuration);

        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"], timeout: StoreHealthCheck.Timeout)
            .AddCheck<JobServerHealthCheck>("jobs", tags: ["ready"], timeout: StoreHealthCheck.Timeout);
        if (!string.IsNullOrWhiteSpace(configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.Endpoint)}"]))
        {
            services.AddHttpClient(ModelHealthCheck.HttpClientName);
            services.AddSingleton<ModelHealthCheck>();
            services.AddHealthChecks().AddCheck<ModelHealthCheck>("model", tags: ["ready"], timeout: StoreHealthCheck.Timeout);
        }

        // OTLP export only when OTEL_EXPORTER_OTLP_ENDPOINT is set (environment or configuration); the exporter reads
        // the other OTEL_EXPORTER_OTLP_* settings itself (opentelemetry.io/docs/specs/otel/protocol/exporter).
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName,
                serviceNamespace: "openclaw",
                serviceVersion: typeof(HubServiceCollectionExtensions).Assembly.GetName().Version?.ToString(),
                serviceInstanceId: hub.NodeId))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(ChannelDiagnostics.Name, ChannelDiagnostics.Name + ".*")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (!otlp)
        {
            // Traces only when they are exported: without an exporter nothing listens to the hub's, the agent's, ASP.NET
            // Core's or HttpClient's ActivitySources, so no span is created per message and none can leave the process.
            // The webhook's trace id still reaches the job (ASP.NET Core starts its request Activity for logging anyway).
            return services;
        }

        telemetry.WithTracing(tracing =>
            {
                tracing
                    .AddSource(ChannelDiagnostics.Name, ChannelDiagnostics.Name + ".*")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                    {
                        // Telegram puts the bot token and Discord the interaction token in URL paths: never in a span.
                        if (request.RequestUri is { } uri)
                        {
                            activity.SetTag("url.full", SecretRedactor.RedactUrl(uri));
                        }
                    })
                    .AddOtlpExporter();
            });
        return services;
    }

    /// <summary>Chat-lane workers: <see cref="HubOptions.WorkerCount"/> when set, else <c>Agent:MaxConcurrency</c> (0 = the
    /// model sets the pace) capped by <see cref="HubOptions.MaxRunsPerNode"/>.</summary>
    internal static int ChatWorkers(HubOptions hub, AgentOptions agent)
        => hub.WorkerCount ?? (agent.MaxConcurrency > 0 ? Math.Min(agent.MaxConcurrency, hub.MaxRunsPerNode) : hub.MaxRunsPerNode);

    private static void AddRedis(IServiceCollection services, HubOptions hub, Func<IServiceProvider, string> connection)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp => ConnectionMultiplexer.Connect(connection(sp)));
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<HubOptions>>().Value.KeyPrefix));
        services.AddSingleton<ISessionStore>(sp => new RedisSessionStore(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeys>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<HubOptions>>().Value.NodeId));
        // Inbound writes (dedupe and append) on a connection of their own: a webhook's append does not queue behind the
        // runs' and Hangfire's commands in the shared connection's single write pipe.
        services.AddKeyedSingleton<IConnectionMultiplexer>(InboundPipeline.ConnectionKey, (sp, _) => ConnectionMultiplexer.Connect(connection(sp)));
        services.AddKeyedSingleton<ISessionStore>(InboundPipeline.ConnectionKey, (sp, key) => new RedisSessionStore(
            sp.GetRequiredKeyedService<IConnectionMultiplexer>(key), sp.GetRequiredService<RedisKeys>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<HubOptions>>().Value.NodeId));
        services.AddSingleton<IChannelStateStore, RedisChannelStateStore>();
        services.AddSingleton<INodeRegistry, RedisNodeRegistry>();
        services.AddSingleton<ITranscriptStore, RedisTranscriptStore>();
        services.AddSingleton<ISessionLockProvider>(sp => new RedLockSessionLockProvider(
            hub.RedLockEndpoints.Count == 0
                ? [sp.GetRequiredService<IConnectionMultiplexer>()]
                : hub.RedLockEndpoints.Select(e => (IConnectionMultiplexer)ConnectionMultiplexer.Connect(e)).ToList(),
            sp.GetRequiredService<RedisKeys>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<HubOptions>>().Value.LockLeaseMs),
            fenceInStore: hub.RedLockEndpoints.Count == 0,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedLockSessionLockProvider>>()));
        // Hangfire's filters with the dashboard's history counters buffered (4 commands less per job); registered before
        // AddHangfire, whose TryAdd then keeps it.
        services.AddSingleton(sp => new SucceededStatisticsBuffer(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeys>().HangfirePrefix, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SucceededStatisticsBuffer>>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<HubOptions>>().Value.StatisticsFlushMs)));
        services.AddHostedService(sp => sp.GetRequiredService<SucceededStatisticsBuffer>());
        services.TryAddSingleton<IJobFilterProvider>(sp => new HubJobFilterProvider(JobFilterProviders.Providers, sp.GetRequiredService<SucceededStatisticsBuffer>()));
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            var multiplexer = sp.GetRequiredService<IConnectionMultiplexer>();
            var prefix = sp.GetRequiredService<RedisKeys>().HangfirePrefix;
            var redisOptions = new RedisStorageOptions { Prefix = prefix, FetchTimeout = TimeSpan.FromMilliseconds(options.JobFetchTimeoutMs) };
            var redis = new RedisStorage(multiplexer, redisOptions);
            // Fewer commands per job, same keys. Only this node fetches its node queue: an enqueue there wakes the
            // fetchers in process; other enqueues are published, and the subscription wakes the fetchers of their queue.
            // The fetch timeout's full poll is the safety net.
            var signals = new QueueSignals(prefix, [SessionRouter.QueueOf(options.NodeId)]);
            signals.Subscribe(multiplexer.GetSubscriber());
            var lean = new LeanRedisJobStorage(redis, multiplexer, prefix, signals, TimeSpan.FromMilliseconds(options.JobFetchTimeoutMs))
            {
                SucceededTotal = sp.GetRequiredService<SucceededStatisticsBuffer>().CountSucceededTotal,
                InvisibilityTimeout = redisOptions.InvisibilityTimeout,
            };
            return new FetchGateJobStorage(lean, options.JobFetchers);
        });
    }
}
