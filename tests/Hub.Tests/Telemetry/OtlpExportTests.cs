using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenClaw.Channels.Fakes;
using OpenClaw.Channels.Fakes.Otlp;
using OpenClaw.Channels.Hub;
using OpenClaw.Channels.Tests.EndToEnd;

namespace OpenClaw.Channels.Tests.Telemetry;

public class OtlpExportTests
{
    [Fact]
    public async Task WithOtlpEndpoint_TracesAndRuntimeMetricsReachTheCollector_UnderTheServiceName()
    {
        await using var collector = new FakeOtlpCollector();
        await collector.StartAsync();
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });

        await Eventually.UntilAsync(
            async () =>
            {
                if (collector.Received("traces", HubServiceCollectionExtensions.ServiceName)
                    && collector.Received("traces", "/healthz")
                    && collector.Received("metrics", "dotnet.gc.collections"))
                {
                    return true;
                }

                await hub.Http.GetStringAsync("/healthz"); // a request for the next trace export
                return false;
            },
            TimeSpan.FromSeconds(20),
            () => $"Exports so far: {string.Join(", ", collector.Exports.Select(e => e.Signal))}");
    }

    [Fact]
    public async Task WithOtlpEndpoint_SendMessageSpanIsExported_WithoutTheBotToken_AndNoLogCarriesIt()
    {
        await using var collector = new FakeOtlpCollector();
        await collector.StartAsync();
        await using var t = await TelegramHub.StartAsync(null, nodes: 0, configure: s =>
        {
            s["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl;
            s["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            s["OTEL_BSP_SCHEDULE_DELAY"] = "100";
            s["OTEL_METRIC_EXPORT_INTERVAL"] = "200";
            // The shipped defaults (src/Hub/appsettings.json) of the categories that see request URLs.
            s["Logging:LogLevel:Default"] = "Information";
            s["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning";
            s["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning";
        });
        var logs = new FakeLogCollector();
        t.Nodes.Add(await HubNode.StartAsync(new Dictionary<string, string?>(t.Settings), services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs))));

        await t.PostOkAsync(TelegramUpdates.Text(7301, 74, 74, "export me"));
        await t.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(20));

        // The span of the sendMessage call reaches the collector with the token's path segment redacted.
        await Eventually.UntilAsync(
            () => collector.Received("traces", "/bot{redacted}/sendMessage"),
            TimeSpan.FromSeconds(20),
            () => $"Exports so far: {string.Join(", ", collector.Exports.Select(e => e.Signal))}");
        var secret = t.Telegram.BotToken[(t.Telegram.BotToken.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Assert.Equal(0, collector.Exports.Where(e => e.Signal == "traces").Sum(e => Leaks(e.Body, secret)));
        Assert.False(collector.Received("metrics", secret), "An exported metric carries the bot token.");
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains(secret, StringComparison.Ordinal) || (r.Exception?.ToString().Contains(secret, StringComparison.Ordinal) ?? false));
    }

    /// <summary>Occurrences of <paramref name="secret"/> in an OTLP export outside a <c>url.path</c> attribute. The fake Bot API
    /// runs in the test's process, so the hub's tracer provider also exports the fake's own ASP.NET Core server spans,
    /// whose <c>url.path</c> is the route <c>/bot{token}/{method}</c>; a client span carries <c>url.full</c>, never <c>url.path</c>.</summary>
    private static int Leaks(byte[] body, string secret)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(secret);
        var key = "url.path"u8.ToArray();
        var leaks = 0;
        for (var at = body.AsSpan().IndexOf(needle); at >= 0; at = NextIndex(body, needle, at + 1))
        {
            var before = body.AsSpan(Math.Max(0, at - 40), Math.Min(at, 40));
            if (before.IndexOf(key) < 0)
            {
                leaks++;
            }
        }

        return leaks;
    }

    private static int NextIndex(byte[] body, byte[] needle, int from)
    {
        var i = body.AsSpan(from).IndexOf(needle);
        return i < 0 ? -1 : from + i;
    }
}
