using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Discord;

/// <summary>Renders the parsed answer as Discord Markdown (support.discord.com "Markdown Text 101"): Discord speaks
/// the Markdown models write, so whole blocks go out as written and only blocks cut by the splitter are rebuilt
/// (<see cref="MarkdownSourceRenderer"/>); a cut code block is reopened with its language, which Discord highlights.
/// Length is the content's UTF-16 length, against the 2,000-character <c>content</c> limit
/// (discord.com/developers/docs/resources/message#create-message).</summary>
public sealed class DiscordMarkdownRenderer : MarkdownSourceRenderer
{
    /// <summary>The renderer (stateless).</summary>
    public static new DiscordMarkdownRenderer Instance { get; } = new();
}
