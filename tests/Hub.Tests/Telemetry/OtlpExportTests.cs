using OpenClaw.Channels.Fakes.Otlp;
using OpenClaw.Channels.Hub;

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

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(collector.Received("traces", HubServiceCollectionExtensions.ServiceName)
            && collector.Received("traces", "/healthz")
            && collector.Received("metrics", "dotnet.gc.collections")))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Exports so far: {string.Join(", ", collector.Exports.Select(e => e.Signal))}");
            await hub.Http.GetStringAsync("/healthz");
            await Task.Delay(100);
        }
    }
}
