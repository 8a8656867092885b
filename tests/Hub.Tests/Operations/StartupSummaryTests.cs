using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Telegram;

namespace OpenClaw.Channels.Tests.Operations;

public class StartupSummaryTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task FirstLines_SayModeNodeChannelsModelAndDashboard_WithoutSecrets()
    {
        await using var telegram = new FakeTelegramServer();
        await telegram.StartAsync();
        var logs = new LineCollector();
        await using var hub = await HubNode.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = redis.ConnectionString,
                ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
                ["Hub:NodeId"] = "summary-node",
                ["Agent:Endpoint"] = "http://127.0.0.1:9/v1",
                ["Agent:Model"] = "summary-model",
                ["Agent:MaxConcurrency"] = "20", // runs in flight follow the model's cap
                ["Agent:ApiKey"] = "sk-never-printed",
                ["Channels:Telegram:BotToken"] = telegram.BotToken,
                ["Channels:Telegram:ApiBaseUrl"] = telegram.BaseUrl,
                ["Channels:Telegram:Mode"] = "Polling",
                ["Logging:LogLevel:OpenClaw.Channels.Hub.Operations"] = "Information",
            },
            services => services.AddSingleton<ILoggerProvider>(logs.Provider));

        var lines = await logs.WaitForAsync(l => l.StartsWith("dashboard: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("mode: Redis 127.0.0.1:6390", StringComparison.Ordinal));
        Assert.Contains("node: summary-node (queue node-summary-node, 20 workers)", lines);
        Assert.Contains("channel telegram: long polling (getUpdates)", lines);
        Assert.Contains("model: summary-model at http://127.0.0.1:9/…", lines);
        Assert.Contains($"listening: {hub.BaseUrl}", lines);
        Assert.Contains($"dashboard: {hub.BaseUrl}/hangfire (local requests only until Dashboard:Username and Dashboard:Password are set)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("sk-never-printed", StringComparison.Ordinal) || l.Contains(telegram.BotToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("no ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoChannelAndNoModel_AreWarnings()
    {
        var logs = new LineCollector();
        await using var hub = await HubNode.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:OpenClaw.Channels.Hub.Operations"] = "Information" },
            services => services.AddSingleton<ILoggerProvider>(logs.Provider));
        await logs.WaitForAsync(l => l.StartsWith("dashboard: ", StringComparison.Ordinal));
        Assert.Contains(logs.Warnings, l => l.StartsWith("no model endpoint: set Agent:Endpoint", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("mode: embedded", StringComparison.Ordinal));
    }

    /// <summary>The StartupSummary category's lines, collected by a <see cref="FakeLoggerProvider"/>.</summary>
    private sealed class LineCollector
    {
        private readonly FakeLogCollector _collector = new();

        public LineCollector()
        {
            Provider = new FakeLoggerProvider(_collector);
        }

        public ILoggerProvider Provider { get; }

        public IReadOnlyList<string> Lines => [.. Summary().Select(r => r.Message)];

        public IReadOnlyList<string> Warnings => [.. Summary().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message)];

        public async Task<IReadOnlyList<string>> WaitForAsync(Func<string, bool> condition)
        {
            await Eventually.UntilAsync(() => Lines.Any(condition), TimeSpan.FromSeconds(15), () => "No such summary line: " + string.Join(" | ", Lines));
            return Lines;
        }

        private IEnumerable<FakeLogRecord> Summary()
            => _collector.GetSnapshot().Where(r => r.Category?.EndsWith(".StartupSummary", StringComparison.Ordinal) == true);
    }
}
