using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        var logs = new Collector();
        var hub = await HubNode.StartAsync(new Dictionary<string, string?>(t.Settings), services => services.AddSingleton<ILoggerProvider>(logs));
        t.Nodes.Add(hub);

        using (var response = await t.PostUpdateAsync(TelegramUpdates.Text(9101, 4242, 4242, "anyone there?")))
        {
            response.EnsureSuccessStatusCode();
        }

        await t.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(20));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (TelegramHub.Jobs(hub).GetMonitoringApi().FailedCount() < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "The run's job did not fail.");
            await Task.Delay(50);
        }

        var loud = logs.Entries.Where(e => e.Level >= LogLevel.Warning && !e.Category.StartsWith("OpenClaw.Channels.Hub.Operations", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(loud);
        Assert.Contains("503", line.Text, StringComparison.Ordinal);
        Assert.Null(line.Exception);
        Assert.DoesNotContain(logs.Entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level >= LogLevel.Information);
        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Information && e.Text.Contains("4242", StringComparison.Ordinal));
    }

    private sealed class Collector : ILoggerProvider
    {
        private readonly ConcurrentQueue<(string Category, LogLevel Level, string Text, Exception? Exception)> _entries = new();

        public IReadOnlyList<(string Category, LogLevel Level, string Text, Exception? Exception)> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Collector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner._entries.Enqueue((category, logLevel, formatter(state, exception), exception));
        }
    }
}
