using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Hub.History;

/// <summary><see cref="IConversationHistory"/> over the agent's <see cref="ITranscriptStore"/>: the chat's session key
/// is built as the inbound pipeline builds it (<see cref="HubOptions.AgentId"/>, <see cref="HubOptions.DirectSessionScope"/>).</summary>
internal sealed class TranscriptConversationHistory(ITranscriptStore transcripts, IOptions<HubOptions> options) : IConversationHistory
{
    /// <summary>Tool calls and results sit between the turns; read this many transcript entries per entry asked for, so
    /// a tool-heavy conversation still fills the page.</summary>
    private const int EntriesReadPerEntryShown = 4;

    public async Task<IReadOnlyList<ConversationEntry>> ReadAsync(string channel, ChatRef chat, int maxEntries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        var hub = options.Value;
        var sessionKey = SessionKey.For(channel, chat.Kind, chat.Id, chat.ThreadId, hub.AgentId, hub.DirectSessionScope).Value;
        var read = (int)Math.Min(int.MaxValue, (long)maxEntries * EntriesReadPerEntryShown);
        var entries = await transcripts.LoadAsync(sessionKey, read, cancellationToken).ConfigureAwait(false);
        var shown = entries
            .Where(e => e.Role is "user" or "assistant" && !string.IsNullOrWhiteSpace(e.Content))
            .Select(e => new ConversationEntry(e.Role, e.Content, e.Timestamp))
            .ToList();
        return shown.Count <= maxEntries ? shown : shown[^maxEntries..];
    }
}
