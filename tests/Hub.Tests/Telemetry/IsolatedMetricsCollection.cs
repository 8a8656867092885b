namespace OpenClaw.Channels.Tests.Telemetry;

/// <summary>Tests that read a hub's <c>/metrics</c> run alone: OpenTelemetry's MeterProvider listens to meters by name
/// across the whole process, so a hub started by a parallel test (same meter and instrument names) can be exported in
/// place of the hub under test, and the SDK drops the later duplicate instruments.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedMetricsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Isolated metrics";
}
