using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Cron;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Fakes.Telegram;

namespace OpenClaw.Channels.Tests.Cron;

/// <summary>One real hub (HubHost.Create, Kestrel on 127.0.0.1:0) wired to a fake model and a fake Telegram Bot API.
/// Redis mode when <c>redis</c> is given (shared by nodes with the same key prefix), else embedded in its data directory.</summary>
public sealed class CronHubNode : IAsyncDisposable
{
    public const string WebhookSecret = "cron-test-secret";

    private CronHubNode(HubNode node) => Node = node;

    public HubNode Node { get; }

    public WebApplication App => Node.App;

    public string BaseUrl => Node.BaseUrl;

    public HttpClient Client => Node.Http;

    internal ICronStore Store => App.Services.GetRequiredService<ICronStore>();

    internal CronDispatcher Dispatcher => App.Services.GetRequiredService<CronDispatcher>();

    internal CronScheduler Scheduler => App.Services.GetRequiredService<CronScheduler>();

    public static JsonSerializerOptions Json => CronJsonAccess.Options;

    /// <summary>Starts a node. <paramref name="settings"/> override or add configuration keys.</summary>
    public static async Task<CronHubNode> StartAsync(
        FakeOpenAiServer model,
        FakeTelegramServer telegram,
        string nodeId,
        string dataDirectory,
        string? redis = null,
        string? keyPrefix = null,
        IDictionary<string, string?>? settings = null,
        bool telegramPolling = false,
        Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Hub:NodeId"] = nodeId,
            ["Hub:DataDirectory"] = dataDirectory,
            ["Hub:KeyPrefix"] = keyPrefix ?? TestRedis.NewPrefix(),
            ["Hub:WorkerCount"] = "2",
            ["Hub:LockWaitMs"] = "5000",
            ["Agent:Endpoint"] = model.ApiBaseUrl,
            ["Agent:Model"] = "fake-model",
            ["Agent:MaxRetries"] = "0",
            ["Agent:Transcripts:Directory"] = Path.Combine(dataDirectory, "transcripts"),
            ["Channels:Telegram:BotToken"] = telegram.BotToken,
            ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Channels:Telegram:Mode"] = telegramPolling ? "Polling" : "Webhook",
            ["Channels:Telegram:WebhookSecret"] = WebhookSecret,
            ["Channels:Telegram:PollingTimeoutSeconds"] = "1",
            ["Channels:Telegram:ErrorBackoffInitial"] = "00:00:00.100",
        };
        if (redis is not null)
        {
            values["ConnectionStrings:Redis"] = redis;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new CronHubNode(await HubNode.StartAsync(values, services));
    }

    public void UseToken(string? token)
        => Client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    public async Task<HttpResponseMessage> PostJobAsync(object job) => await Client.PostAsJsonAsync("/api/cron/jobs", job, Json);

    public async Task<HttpResponseMessage> PutJobAsync(string id, object job) => await Client.PutAsJsonAsync("/api/cron/jobs/" + id, job, Json);

    internal async Task<IReadOnlyList<CronRun>> RunsAsync(string jobId) => await Store.GetRunsAsync(jobId, 1000, CancellationToken.None);

    /// <summary>Polls the job's history until <paramref name="predicate"/> holds.</summary>
    internal async Task<IReadOnlyList<CronRun>> WaitForRunsAsync(string jobId, Func<IReadOnlyList<CronRun>, bool> predicate, TimeSpan timeout)
    {
        IReadOnlyList<CronRun> runs = [];
        await Eventually.UntilAsync(
            async () => predicate(runs = await RunsAsync(jobId)),
            timeout,
            () => $"run history of {jobId} in the expected state; it has {runs.Count} run(s): "
                + string.Join(", ", runs.Select(r => $"{r.FireTimeUtc:HH:mm:ss} {r.Status} {r.Error}")));
        return runs;
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
