using System.ComponentModel.DataAnnotations;

namespace OpenClaw.Channels.Agent;

/// <summary>Options of <see cref="JsonlTranscriptStore"/>, bound from <c>Agent:Transcripts</c> by
/// <see cref="AgentServiceCollectionExtensions.AddAgent"/>.</summary>
public sealed class JsonlTranscriptOptions
{
    /// <summary>Configuration sub-section name under <c>Agent</c>, <c>Transcripts</c>.</summary>
    public const string SectionName = "Transcripts";

    /// <summary>Directory holding one <c>.jsonl</c> file per session; created on first write. Relative paths are resolved
    /// against the process working directory. Default <c>./data/transcripts</c>.</summary>
    [Required]
    public string Directory { get; set; } = "./data/transcripts";
}
