namespace OpenClaw.Channels.Discord;

/// <summary>The resumable state of one gateway session: <c>session_id</c> and <c>resume_gateway_url</c> from READY,
/// the bot's identity from READY (a node that resumes another node's session gets RESUMED, not READY, and still needs
/// it) and the last dispatch sequence number. The sequence is read by the heartbeat while the receive loop writes it.</summary>
internal sealed class GatewaySession
{
    private long _seq = -1; // -1 before the first dispatch

    /// <summary>READY's <c>session_id</c>, or null before READY / after the session was given up.</summary>
    public string? SessionId { get; set; }

    /// <summary>READY's <c>resume_gateway_url</c>, or null.</summary>
    public string? ResumeUrl { get; set; }

    /// <summary>The bot's user id from READY (<c>user.id</c>), or null before the first READY.</summary>
    public string? SelfUserId { get; set; }

    /// <summary>The account id stamped on inbound messages (the configured application id, else READY's
    /// <c>application.id</c>, else the bot's user id), or null before the first READY. Part of every message's
    /// idempotency key, so it must be the same on every node.</summary>
    public string? AccountId { get; set; }

    /// <summary>The last dispatch's <c>s</c>, or null before the first.</summary>
    public long? LastSeq => Volatile.Read(ref _seq) is var s && s >= 0 ? s : null;

    /// <summary>True when Resume (op 6) can be tried.</summary>
    public bool CanResume => SessionId is not null && LastSeq is not null;

    /// <summary>Records a dispatch's sequence number.</summary>
    public void Advance(long seq) => Volatile.Write(ref _seq, seq);

    /// <summary>Forgets the session: the next connection identifies. The bot's identity is kept.</summary>
    public void Reset()
    {
        SessionId = null;
        ResumeUrl = null;
        Volatile.Write(ref _seq, -1);
    }
}
