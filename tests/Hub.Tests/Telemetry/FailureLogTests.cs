using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.OpenAi;
using OpenClaw.Channels.Tests.EndToEnd;

namespace OpenClaw.Channels.Tests.Telemetry;

/// <summary>What an operator's console shows when the model is down: one line per failed model call, no stack trace,
/// nothing from Polly's per-attempt telemetry, no chat id at Information.</summary>
public class FailureLogTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task ModelDown_IsOneWarningLine_WithoutStackTrace()
    {
        await using var t = await TelegramHub.StartAsync(redis, nodes: 0, configure: s =>
        {
            s["Agent:RetryBaseDelayMs"] = "50";
            s["Agent:MaxRetries"] = "2";
            // The shipped defaults (src/Hub/appsettings.json) for the categories that used to flood the console.
            s["Logging:LogLevel:Default"] = "Information";
            s["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning";
            s["Logging:LogLevel:Hangfire"] = "Warning";
            s["Logging:LogLevel:Polly"] = "Warning";
            s["Logging:LogLevel:RedLockNet"] = "Warning";
            s["Logging:LogLevel:Quartz"] = "Warning";
            s["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning";
        }, model: m => m.DefaultResponder = _ => FakeChatResponse.Error(503));
        var logs = new FakeLogCollector();
        var hub = await HubNode.StartAsync(new Dictionary<string, string?>(t.Settings), services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        t.Nodes.Add(hub);

        using (var response = await t.PostUpdateAsync(TelegramUpdates.Text(9101, 4242, 4242, "anyone there?")))
        {
            response.EnsureSuccessStatusCode();
        }

        await t.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(20));
        await Eventually.UntilAsync(() => TelegramHub.Jobs(hub).GetMonitoringApi().FailedCount() >= 1, TimeSpan.FromSeconds(10), () => "The run's job did not fail.");

        var entries = logs.GetSnapshot().Select(r => (Category: r.Category ?? string.Empty, r.Level, Text: r.Message, r.Exception)).ToList();
        var loud = entries.Where(e => e.Level >= LogLevel.Warning && !e.Category.StartsWith("OpenClaw.Channels.Hub.Operations", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(loud);
        Assert.Contains("503", line.Text, StringComparison.Ordinal);
        Assert.Null(line.Exception);
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level >= LogLevel.Information);
        Assert.DoesNotContain(entries, e => e.Level == LogLevel.Information && e.Text.Contains("4242", StringComparison.Ordinal));
    }
}
