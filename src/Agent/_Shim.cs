namespace OpenClaw.Channels.Agent;
#pragma warning disable CS1591
public sealed class JsonlTranscriptOptions { public string Directory { get; set; } = "data/transcripts"; }
public static class AgentShim {
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddAgent(this Microsoft.Extensions.DependencyInjection.IServiceCollection s, Microsoft.Extensions.Configuration.IConfiguration c) => s;
}
