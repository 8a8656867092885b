using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Hub.Stores;

namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>The chat commands the hub answers itself, without the model: <c>/start</c> and <c>/help</c> answer
/// <see cref="HubCommands.HelpText"/>; <c>/reset</c> (or <c>/new</c>) starts a fresh transcript; <c>/status</c> shows the
/// session, the model, the messages queued behind this one, the transcript size and the node.</summary>
internal sealed class ChatCommands(
    ISessionStore store,
    ITranscriptStore transcripts,
    IOptions<HubOptions> hubOptions,
    IOptions<AgentOptions> agentOptions)
{
    /// <summary>Answers <paramref name="message"/> when it is one of the built-in commands.</summary>
    /// <param name="sessionKey">The message's session.</param>
    /// <param name="message">The message at the head of the session's inbox.</param>
    /// <param name="cancellationToken">Cancels the store reads and writes.</param>
    /// <returns>The reply (Markdown), or <see langword="null"/> when the message goes to the model.</returns>
    public async Task<string?> AnswerAsync(string sessionKey, ChannelMessage message, CancellationToken cancellationToken)
    {
        switch (message.Command?.Name)
        {
            case "start" or "help":
                return HubCommands.HelpText;
            case "reset":
            case "new":
                await transcripts.ResetAsync(sessionKey, cancellationToken).ConfigureAwait(false);
                return "Started a fresh session. Previous messages are forgotten.";
            case "status":
                var queued = Math.Max(0, await store.CountAsync(sessionKey, cancellationToken).ConfigureAwait(false) - 1);
                var turns = await transcripts.CountAsync(sessionKey, cancellationToken).ConfigureAwait(false);
                var model = string.IsNullOrWhiteSpace(agentOptions.Value.Endpoint) ? "not configured (set Agent:Endpoint)" : agentOptions.Value.Model;
                return $"Session: {sessionKey}\nModel: {model}\nQueued messages: {queued}\nTranscript entries: {turns}\nNode: {hubOptions.Value.NodeId}";
            default:
                return null;
        }
    }
}
