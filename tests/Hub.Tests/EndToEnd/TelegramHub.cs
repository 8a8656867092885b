using System.Net;
using System.Text;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;

namespace OpenClaw.Channels.Tests.EndToEnd;

/// <summary>A hub wired to a fake Telegram Bot API and a fake OpenAI-compatible model, all on 127.0.0.1.</summary>
public sealed class TelegramHub : IAsyncDisposable
{
    public const string Secret = "webhook-secret_123";

    private TelegramHub(FakeTelegramServer telegram, FakeOpenAiServer model, Dictionary<string, string?> settings)
    {
        Telegram = telegram;
        Model = model;
        Settings = settings;
    }

    public FakeTelegramServer Telegram { get; }

    public FakeOpenAiServer Model { get; }

    public Dictionary<string, string?> Settings { get; }

    public List<HubNode> Nodes { get; } = [];

    public HubNode Hub => Nodes[0];

    /// <summary>Starts the fakes and <paramref name="nodes"/> hubs. <paramref name="redis"/> null = embedded mode.</summary>
    public static async Task<TelegramHub> StartAsync(TestRedis? redis, int nodes = 1, Action<Dictionary<string, string?>>? configure = null, Action<FakeOpenAiServer>? model = null)
    {
        var telegram = new FakeTelegramServer();
        await telegram.StartAsync();
        var fakeModel = new FakeOpenAiServer();
        model?.Invoke(fakeModel);
        await fakeModel.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Telegram:BotToken"] = telegram.BotToken,
            ["Channels:Telegram:Mode"] = "Webhook",
            ["Channels:Telegram:WebhookSecret"] = Secret,
            ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Agent:Endpoint"] = fakeModel.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:ApiKey"] = "sk-test-key",
            ["Hub:StaleSessionMs"] = "5000",
        };
        if (redis is not null)
        {
            settings["ConnectionStrings:Redis"] = redis.ConnectionString;
            settings["Hub:KeyPrefix"] = TestRedis.NewPrefix();
        }

        configure?.Invoke(settings);
        var hub = new TelegramHub(telegram, fakeModel, settings);
        for (var i = 0; i < nodes; i++)
        {
            await hub.AddNodeAsync();
        }

        return hub;
    }

    public async Task<HubNode> AddNodeAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>(Settings);
        configure?.Invoke(settings);
        var node = await HubNode.StartAsync(settings);
        Nodes.Add(node);
        return node;
    }

    public async Task<HttpResponseMessage> PostUpdateAsync(string updateJson, string? secret = Secret, HubNode? node = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram")
        {
            Content = new StringContent(updateJson, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        return await (node ?? Hub).Http.SendAsync(request);
    }

    public async Task PostOkAsync(string updateJson, HubNode? node = null)
    {
        using var response = await PostUpdateAsync(updateJson, node: node);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static JobStorage Jobs(HubNode node) => node.Services.GetRequiredService<JobStorage>();

    /// <summary>Waits until at least <paramref name="finished"/> jobs have Succeeded or Failed and none is enqueued on a
    /// node's queue or processing: the positive marker before a "nothing more happened" assertion.</summary>
    public Task WaitForIdleAsync(int finished, TimeSpan timeout) => HubNodeExtensions.WaitForIdleAsync(Nodes, finished, timeout);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Telegram.DisposeAsync();
        await Model.DisposeAsync();
    }
}
