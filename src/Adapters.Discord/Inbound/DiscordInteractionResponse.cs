using System.Text.Json.Nodes;

namespace OpenClaw.Channels.Discord;

/// <summary>The initial response to an application command, the same whether the interaction came over the
/// interactions endpoint (the HTTP answer) or the gateway (<c>POST /interactions/{id}/{token}/callback</c>), following
/// discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object.</summary>
internal static class DiscordInteractionResponse
{
    /// <summary>What the user sees when the hub will not answer (policy, allowlist): an ephemeral message.</summary>
    public const string NotAnsweredText = "Sorry, I can't answer that here.";

    /// <summary>The response once the hub's pipeline handled the command.</summary>
    /// <param name="outcome">The pipeline's outcome.</param>
    /// <returns><c>{"type":5}</c> (deferred: the agent's answer edits it later); for
    /// <see cref="InboundOutcome.Ignored"/>, no answer will follow, so <c>{"type":4}</c> with
    /// <see cref="NotAnsweredText"/>, visible to the user only (<c>flags: 64</c>, EPHEMERAL).</returns>
    public static JsonObject ForCommand(InboundOutcome outcome) => outcome == InboundOutcome.Ignored
        ? new JsonObject { ["type"] = 4, ["data"] = new JsonObject { ["content"] = NotAnsweredText, ["flags"] = 64 } }
        : new JsonObject { ["type"] = 5 };
}
