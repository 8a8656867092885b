using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenClaw.Channels.Discord;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Discord;

namespace OpenClaw.Channels.Tests;

/// <summary>A real Kestrel app on 127.0.0.1:0 with AddDiscordChannel + MapDiscordInteractions + /readyz, a
/// RecordingInboundPipeline and an InMemoryStateStore at the seam to the hub.</summary>
public sealed class DiscordTestHost : IAsyncDisposable
{
    private WebApplication _app = null!;

    public RecordingInboundPipeline Pipeline { get; } = new();

    /// <summary>Everything logged at Debug and above (records with <c>Level</c>, <c>Category</c>, <c>Message</c>).</summary>
    public IReadOnlyList<FakeLogRecord> Logs => LogCollector.GetSnapshot();

    public FakeLogCollector LogCollector { get; } = new();

    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient Client { get; } = new();

    public IServiceProvider Services => _app.Services;

    public DiscordSender Sender => Services.GetRequiredService<DiscordSender>();

    public static Dictionary<string, string?> DefaultSettings(FakeDiscordServer fake) => new()
    {
        ["BotToken"] = fake.BotToken,
        ["ApiBaseUrl"] = fake.ApiBaseUrl,
        ["AllowPrivateMediaHosts"] = "true", // attachments of the fake Discord are served from 127.0.0.1
        ["ReconnectDelayMs"] = "50",
        ["MaxReconnectDelayMs"] = "200",
        ["InvalidSessionMinDelayMs"] = "10",
        ["InvalidSessionMaxDelayMs"] = "50",
        ["IdentifyWindowMs"] = "200",
        ["GatewayHandshakeTimeoutMs"] = "3000",
    };

    /// <summary>Starts a host; <paramref name="store"/> is the channel state store (the cluster's store, when two hosts
    /// stand for two nodes), a new <see cref="InMemoryStateStore"/> by default.</summary>
    public static async Task<DiscordTestHost> StartAsync(Dictionary<string, string?> settings, IChannelStateStore? store = null)
    {
        var host = new DiscordTestHost();
        var builder = LoopbackKestrel.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new FakeLoggerProvider(host.LogCollector));
        builder.Configuration.AddInMemoryCollection(settings.Select(kv => new KeyValuePair<string, string?>("Channels:Discord:" + kv.Key, kv.Value)));
        builder.Services.AddSingleton<IInboundPipeline>(host.Pipeline);
        builder.Services.AddSingleton(store ?? new InMemoryStateStore());
        builder.Services.AddDiscordChannel(builder.Configuration.GetSection("Channels:Discord"));
        host._app = builder.Build();
        host._app.MapDiscordInteractions();
        host._app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("ready"),
            ResponseWriter = (context, report) =>
            {
                var text = new StringBuilder(report.Status.ToString());
                foreach (var (name, entry) in report.Entries)
                {
                    text.Append('\n').Append(name).Append(": ").Append(entry.Status).Append(": ").Append(entry.Description);
                }

                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync(text.ToString());
            },
        });
        host.BaseUrl = await LoopbackKestrel.StartAsync(host._app);
        host.Client.BaseAddress = new Uri(host.BaseUrl);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
