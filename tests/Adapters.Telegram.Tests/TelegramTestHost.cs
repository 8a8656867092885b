using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Telegram;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

/// <summary>A real Kestrel host on 127.0.0.1:0 with AddTelegramChannel + MapTelegramWebhook, the recording pipeline and
/// an in-memory state store (the seam to the hub), pointed at a <see cref="FakeTelegramServer"/>.</summary>
internal sealed class TelegramTestHost : IAsyncDisposable
{
    public const string Secret = "s3cr3t_Token-1";

    private readonly WebApplication _app;

    private TelegramTestHost(WebApplication app, RecordingInboundPipeline pipeline, InMemoryStateStore store)
    {
        _app = app;
        Pipeline = pipeline;
        Store = store;
    }

    public RecordingInboundPipeline Pipeline { get; }

    public InMemoryStateStore Store { get; }

    public IServiceProvider Services => _app.Services;

    public string BaseUrl { get; private set; } = string.Empty;

    public static Dictionary<string, string?> Settings(FakeTelegramServer fake, TelegramMode mode) => new()
    {
        ["Channels:Telegram:BotToken"] = fake.BotToken,
        ["Channels:Telegram:ApiBaseUrl"] = fake.BaseUrl,
        ["Channels:Telegram:Mode"] = mode.ToString(),
        ["Channels:Telegram:WebhookSecret"] = Secret,
        ["Channels:Telegram:PollingTimeoutSeconds"] = "1",
        ["Channels:Telegram:ErrorBackoffInitial"] = "00:00:00.100",
        ["Channels:Telegram:ErrorBackoffMax"] = "00:00:00.500",
        ["Channels:Telegram:ConflictBackoff"] = "00:00:00.200",
    };

    public static async Task<TelegramTestHost> StartAsync(
        FakeTelegramServer fake,
        TelegramMode mode,
        Action<Dictionary<string, string?>>? configure = null,
        InMemoryStateStore? store = null,
        bool mapWebhook = true)
    {
        var settings = Settings(fake, mode);
        configure?.Invoke(settings);
        var builder = LoopbackKestrel.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        var pipeline = new RecordingInboundPipeline();
        store ??= new InMemoryStateStore();
        builder.Services.AddSingleton<IInboundPipeline>(pipeline);
        builder.Services.AddSingleton<IChannelStateStore>(store);
        builder.Services.AddTelegramChannel(builder.Configuration.GetSection("Channels:Telegram"));
        var app = builder.Build();
        if (mapWebhook)
        {
            app.MapTelegramWebhook();
        }
        var host = new TelegramTestHost(app, pipeline, store);
        host.BaseUrl = await LoopbackKestrel.StartAsync(app);
        return host;
    }

    /// <summary>The adapter's services without a web host; <paramref name="time"/> replaces the system clock (pacing,
    /// retry waits, the local rate limiter) when given.</summary>
    public static ServiceProvider BuildServices(FakeTelegramServer fake, Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var settings = Settings(fake, TelegramMode.Webhook);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IInboundPipeline>(new RecordingInboundPipeline());
        services.AddSingleton<IChannelStateStore>(new InMemoryStateStore());
        services.AddTelegramChannel(configuration.GetSection("Channels:Telegram"));
        return services.BuildServiceProvider();
    }

    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
