namespace OpenClaw.Channels;

/// <summary>Names shared by every part for OpenTelemetry: one <see cref="System.Diagnostics.ActivitySource"/> name and
/// one <see cref="System.Diagnostics.Metrics.Meter"/> name prefix. The hub listens to both.</summary>
public static class ChannelDiagnostics
{
    /// <summary>The ActivitySource and Meter name, <c>OpenClaw.Channels</c>; adapters may use <c>OpenClaw.Channels.{Platform}</c>.</summary>
    public const string Name = "OpenClaw.Channels";
}
