using OpenClaw.Channels.Fakes;
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
}
