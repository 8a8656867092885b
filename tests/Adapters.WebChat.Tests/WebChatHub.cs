using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Hub;

namespace OpenClaw.Channels.Tests;

/// <summary>A real hub (<see cref="HubHost.Create"/>, Kestrel on 127.0.0.1:0) with the web chat on by default and the
/// fake OpenAI server as its model. Embedded mode unless the settings name a Redis.</summary>
public sealed class WebChatHub : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private WebChatHub(WebApplication app, FakeOpenAiServer model, string baseUrl, string dataDirectory)
    {
        App = app;
        Model = model;
        BaseUrl = baseUrl;
        _dataDirectory = dataDirectory;
    }

    public WebApplication App { get; }

    public FakeOpenAiServer Model { get; }

    /// <summary>The hub's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>Starts the fake model and the hub with <paramref name="settings"/> on top of the test defaults.</summary>
    public static async Task<WebChatHub> StartAsync(IDictionary<string, string?>? settings = null, Action<FakeOpenAiServer>? model = null)
    {
        var fake = new FakeOpenAiServer();
        model?.Invoke(fake);
        await fake.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "openclaw-webchat-tests", Guid.NewGuid().ToString("N"));
        var app = HubHost.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hub:DataDirectory"] = dataDirectory,
                ["Hub:NodeId"] = "w" + Guid.NewGuid().ToString("N")[..8],
                ["Agent:Endpoint"] = fake.ApiBaseUrl,
                ["Agent:Model"] = "fake-model",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("OPENCLAW_TEST_LOGS") == "1")
            {
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            }
        });
        string address;
        try
        {
            address = await LoopbackKestrel.StartAsync(app);
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }

        return new WebChatHub(app, fake, address.TrimEnd('/'), dataDirectory);
    }

    /// <summary>A client with its own cookie jar (one browser session), or with <paramref name="cookies"/> to be the same
    /// browser at another node.</summary>
    public HttpClient NewBrowser(CookieContainer? cookies = null) => new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(BaseUrl),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await App.StopAsync(cts.Token);
        }

        await App.DisposeAsync();
        await Model.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // nothing was written
        }
    }
}
