namespace OpenClaw.Channels.Agent;

/// <summary>Per-session conversation history. The hub supplies its store-backed implementation in both of its modes
/// (Redis, or the embedded Garnet server) and exports it as OpenClaw JSONL; without the hub, <see cref="AgentServiceCollectionExtensions.AddAgent"/>
/// registers the <see cref="JsonlTranscriptStore"/> (JSONL files).</summary>
public interface ITranscriptStore
{
    /// <summary>Reads the last <paramref name="maxEntries"/> entries of the current transcript, oldest first.</summary>
    /// <param name="sessionKey">The session key.</param>
    /// <param name="maxEntries">Upper bound of entries returned (at least 1).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<TranscriptEntry>> LoadAsync(string sessionKey, int maxEntries, CancellationToken cancellationToken);

    /// <summary>Appends entries in order.</summary>
    /// <param name="sessionKey">The session key.</param>
    /// <param name="entries">Entries to append.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task AppendAsync(string sessionKey, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken);

    /// <summary>Starts a fresh transcript (<c>/reset</c>); the old one is archived or removed.</summary>
    /// <param name="sessionKey">The session key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ResetAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>Counts the entries of the current transcript.</summary>
    /// <param name="sessionKey">The session key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<int> CountAsync(string sessionKey, CancellationToken cancellationToken);
}
