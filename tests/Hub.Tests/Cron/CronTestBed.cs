using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;

namespace OpenClaw.Channels.Tests.Cron;

/// <summary>Per-test fakes (model, Telegram), a key prefix and a temporary directory; disposes the nodes it started.</summary>
public sealed class CronTestBed : IAsyncDisposable
{
    private readonly List<CronHubNode> _nodes = [];

    private CronTestBed(FakeOpenAiServer model, FakeTelegramServer telegram)
    {
        Model = model;
        Telegram = telegram;
    }

    public FakeOpenAiServer Model { get; }

    public FakeTelegramServer Telegram { get; }

    public string KeyPrefix { get; } = TestRedis.NewPrefix();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "openclaw-cron-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The Telegram account id the adapter reports (the bot id).</summary>
    public string AccountId => Telegram.BotId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<CronTestBed> StartAsync()
    {
        var model = new FakeOpenAiServer();
        await model.StartAsync();
        var telegram = new FakeTelegramServer();
        await telegram.StartAsync();
        return new CronTestBed(model, telegram);
    }

    /// <summary>Starts a node: Redis mode with this bed's key prefix when <paramref name="redis"/> is given, else embedded
    /// with data under <c>{Directory}/{dataName ?? nodeId}</c>.</summary>
    public async Task<CronHubNode> StartNodeAsync(string nodeId, TestRedis? redis, IDictionary<string, string?>? settings = null, string? dataName = null, bool telegramPolling = false, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var node = await CronHubNode.StartAsync(Model, Telegram, nodeId, Path.Combine(Directory, dataName ?? nodeId), redis?.ConnectionString, KeyPrefix, settings, telegramPolling, services);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Stops a node early (simulates it going down).</summary>
    public async Task StopNodeAsync(CronHubNode node)
    {
        _nodes.Remove(node);
        await node.DisposeAsync();
    }

    public object TelegramTarget(string chatId) => new { channel = "telegram", accountId = AccountId, chatId };

    public IReadOnlyList<FakeTelegramSentMessage> SentTo(string chatId) => Telegram.SentMessages.Where(m => m.ChatId == chatId).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await Telegram.DisposeAsync();
        await Model.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
