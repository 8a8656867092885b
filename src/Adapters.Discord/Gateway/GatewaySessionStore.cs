using System.Text.Json;

namespace OpenClaw.Channels.Discord;

/// <summary>Keeps a shard's resumable session (<c>session_id</c>, <c>resume_gateway_url</c>, last <c>seq</c>, and the
/// bot's user and account ids the messages of a resumed session are stamped with) in the
/// hub's <see cref="IChannelStateStore"/>, so the node that takes the shard over sends Resume (op 6) instead of a new
/// Identify. A JSON value under <see cref="GatewayTopology.SessionKey"/>, kept 15 minutes (Discord drops a session that
/// long idle). Without a store the session lives only in the process.</summary>
internal sealed class GatewaySessionStore(IChannelStateStore? store)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(15);

    /// <summary>Loads the stored session of <paramref name="key"/> into <paramref name="session"/>, when there is one.</summary>
    /// <returns>True when a resumable session was loaded.</returns>
    public async Task<bool> LoadAsync(string key, GatewaySession session, CancellationToken cancellationToken)
    {
        if (store is null || await store.GetAsync(key, cancellationToken).ConfigureAwait(false) is not { } json)
        {
            return false;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(json);
            if (stored?.SessionId is null || stored.Seq < 0)
            {
                return false;
            }

            session.Reset();
            session.SessionId = stored.SessionId;
            session.ResumeUrl = stored.ResumeUrl;
            session.SelfUserId = stored.SelfUserId ?? session.SelfUserId;
            session.AccountId = stored.AccountId ?? session.AccountId;
            session.Advance(stored.Seq);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Stores <paramref name="session"/> under <paramref name="key"/> (or deletes the key when the session
    /// cannot be resumed).</summary>
    public Task SaveAsync(string key, GatewaySession session, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return Task.CompletedTask;
        }

        return session.CanResume
            ? store.SetAsync(key, JsonSerializer.Serialize(new Stored(session.SessionId, session.ResumeUrl, session.LastSeq ?? -1, session.SelfUserId, session.AccountId)), Ttl, cancellationToken)
            : store.DeleteAsync(key, cancellationToken);
    }

    private sealed record Stored(string? SessionId, string? ResumeUrl, long Seq, string? SelfUserId = null, string? AccountId = null);
}
