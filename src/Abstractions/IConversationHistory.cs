namespace OpenClaw.Channels;

/// <summary>Reads what was said in a chat, from the agent's transcript of the chat's session, so an adapter that shows
/// a conversation (the web chat page) can show it again after a reload. The hub implements it over its transcript
/// store and maps the chat to its session key the way the inbound pipeline does (<see cref="SessionKey"/> with the
/// hub's agent id and direct-chat scope).</summary>
public interface IConversationHistory
{
    /// <summary>Reads the last <paramref name="maxEntries"/> user and assistant entries of the chat's current
    /// transcript (after the last <c>/reset</c>), oldest first. Tool and system entries are left out.</summary>
    /// <param name="channel">Channel name, e.g. <c>webchat</c>.</param>
    /// <param name="chat">The chat (its id, kind and thread select the session).</param>
    /// <param name="maxEntries">Upper bound of entries returned, at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries; empty for a chat with no transcript.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEntries"/> is below 1.</exception>
    Task<IReadOnlyList<ConversationEntry>> ReadAsync(string channel, ChatRef chat, int maxEntries, CancellationToken cancellationToken);
}
