namespace OpenClaw.Channels.Adapters;

/// <summary>
/// Marker of the <c>OpenClaw.Channels.Adapters.Common</c> assembly: plumbing shared by the channel adapters
/// (Markdown parsing and splitting, backoff, request limits, channel policy options). Adapters reference this
/// assembly and <c>Abstractions</c>, never each other.
/// </summary>
public static class AdaptersCommon
{
    /// <summary>The assembly's name, for diagnostics.</summary>
    public const string AssemblyName = "OpenClaw.Channels.Adapters.Common";
}
