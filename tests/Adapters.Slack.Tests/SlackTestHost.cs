using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Slack;
using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.Slack;

/// <summary>A real Kestrel app on 127.0.0.1:0 with AddSlackChannel + MapSlackEvents, a RecordingInboundPipeline using
/// the adapter's policy, and an InMemoryStateStore.</summary>
public sealed class SlackTestHost : IAsyncDisposable
{
    public const string SigningSecret = "test-signing-secret-0123456789ab";

    private readonly WebApplication _app;

    private SlackTestHost(WebApplication app, string baseUrl, RecordingInboundPipeline pipeline, InMemoryStateStore store)
    {
        _app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Pipeline = pipeline;
        Store = store;
    }

    public RecordingInboundPipeline Pipeline { get; }

    public InMemoryStateStore Store { get; }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public SlackAdapter Adapter => Services.GetRequiredService<SlackAdapter>();

    public static async Task<SlackTestHost> StartAsync(FakeSlackServer fake, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Slack:BotToken"] = fake.BotToken,
            ["Channels:Slack:AppToken"] = fake.AppToken,
            ["Channels:Slack:SigningSecret"] = SigningSecret,
            ["Channels:Slack:ApiBaseUrl"] = fake.ApiBaseUrl,
            ["Channels:Slack:AllowPrivateMediaHosts"] = "true", // the fake image host listens on 127.0.0.1
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
        {
            settings["Channels:Slack:" + k] = v;
        }

        var builder = LoopbackKestrel.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        var pipeline = new RecordingInboundPipeline();
        var store = new InMemoryStateStore();
        builder.Services.AddSingleton<IInboundPipeline>(pipeline);
        builder.Services.AddSingleton<IChannelStateStore>(store);
        builder.Services.AddSlackChannel(builder.Configuration.GetSection("Channels:Slack"));
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapSlackEvents();
        var address = await LoopbackKestrel.StartAsync(app);
        var host = new SlackTestHost(app, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/'), pipeline, store);
        pipeline.Policy = host.Adapter.Policy;
        return host;
    }

    public static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    public static string Sign(string body, long timestamp, string secret = SigningSecret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>POSTs <paramref name="body"/> to /webhooks/slack/events signed with the test secret and the current time.</summary>
    public Task<HttpResponseMessage> PostEventAsync(string body, Action<HttpRequestMessage>? tweak = null, long? timestamp = null, string? signature = null)
    {
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/slack/events")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", signature ?? Sign(body, ts));
        tweak?.Invoke(request);
        return Client.SendAsync(request);
    }

    /// <summary>POSTs <paramref name="fields"/> form-encoded (as Slack sends slash commands and interactions) to
    /// <paramref name="path"/>, signed with the test secret and the current time unless <paramref name="signature"/> is given.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string? signature = null)
    {
        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", signature ?? Sign(body, ts));
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
