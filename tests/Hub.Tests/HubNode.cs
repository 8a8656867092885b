using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Hub;

namespace OpenClaw.Channels.Tests;

/// <summary>One real hub (Kestrel on 127.0.0.1:0) built by <see cref="HubHost.Create"/> with test settings.</summary>
public sealed class HubNode : IAsyncDisposable
{
    /// <summary>Chat-lane workers of a test hub whose settings pin none of <c>Hub:WorkerCount</c>,
    /// <c>Hub:MaxRunsPerNode</c> or <c>Agent:MaxConcurrency</c>: 8, not the production default of one worker thread
    /// per allowed run (<c>Hub:MaxRunsPerNode</c> 512), whose start and stop cost every test hub about half a second.</summary>
    public const string DefaultWorkerCount = "8";

    private HubNode(WebApplication app, string baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts a hub with <paramref name="settings"/> (configuration keys such as <c>Hub:NodeId</c>).</summary>
    /// <param name="settings">Configuration over the test defaults.</param>
    /// <param name="services">Registrations before the hub's own (a hub registration that only adds when none is there
    /// keeps them).</param>
    /// <param name="afterHub">Changes to the finished service collection, after every hub and channel registration
    /// (to decorate a service the hub registers).</param>
    public static async Task<HubNode> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, Action<IServiceCollection>? afterHub = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var dataDir = Path.Combine(Path.GetTempPath(), "openclaw-tests", Guid.NewGuid().ToString("N"));
        var app = HubHost.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hub:DataDirectory"] = dataDir,
                ["Hub:NodeId"] = "n" + Guid.NewGuid().ToString("N")[..8],
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Configuration.AddInMemoryCollection(settings);
            if (!SetsRunsInFlight(settings))
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Hub:WorkerCount"] = DefaultWorkerCount });
            }

            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("OPENCLAW_TEST_LOGS") == "1")
            {
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            }

            services?.Invoke(builder.Services);
            if (afterHub is not null)
            {
                builder.Host.UseServiceProviderFactory(new AfterHubServiceProviderFactory(afterHub));
            }
        });
        var address = await LoopbackKestrel.StartAsync(app);
        FixtureTimings.Record("node-start", started);
        return new HubNode(app, address.TrimEnd('/'));
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200 (the job server registers just after start) or 10 s pass.</summary>
    /// <returns>The overall <c>status</c> of the last JSON body (<c>Healthy</c>, <c>Degraded</c>, <c>Unhealthy</c>).</returns>
    public async Task<string> WaitReadyAsync()
    {
        var body = string.Empty;
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    using var response = await Http.GetAsync("/readyz");
                    body = await response.Content.ReadAsStringAsync();
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // not ready: the status of the last answer is the result
        }

        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>True when <paramref name="settings"/> decide the chat lane's worker count themselves.</summary>
    internal static bool SetsRunsInFlight(IEnumerable<KeyValuePair<string, string?>> settings)
        => settings.Any(s => s.Key is "Hub:WorkerCount" or "Hub:MaxRunsPerNode" or "Agent:MaxConcurrency");

    public async ValueTask DisposeAsync()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Http.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // generous: collections run in parallel
        await App.StopAsync(cts.Token);
        FixtureTimings.Record("node-stop", started);
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        await App.DisposeAsync();
        FixtureTimings.Record("node-dispose", started);
    }

    /// <summary>The default service provider, built after <c>afterHub</c> changed the finished collection.</summary>
    private sealed class AfterHubServiceProviderFactory(Action<IServiceCollection> afterHub) : IServiceProviderFactory<IServiceCollection>
    {
        private readonly DefaultServiceProviderFactory _inner = new();

        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            afterHub(services);
            return _inner.CreateBuilder(services);
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => _inner.CreateServiceProvider(containerBuilder);
    }
}
