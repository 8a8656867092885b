namespace OpenClaw.Channels.Discord;

/// <summary>The resumable state of one gateway session: <c>session_id</c> and <c>resume_gateway_url</c> from READY and
/// the last dispatch sequence number. The sequence is read by the heartbeat while the receive loop writes it.</summary>
internal sealed class GatewaySession
{
    private long _seq = -1; // -1 before the first dispatch

    /// <summary>READY's <c>session_id</c>, or null before READY / after the session was given up.</summary>
    public string? SessionId { get; set; }

    /// <summary>READY's <c>resume_gateway_url</c>, or null.</summary>
    public string? ResumeUrl { get; set; }

    /// <summary>The last dispatch's <c>s</c>, or null before the first.</summary>
    public long? LastSeq => Volatile.Read(ref _seq) is var s && s >= 0 ? s : null;

    /// <summary>True when Resume (op 6) can be tried.</summary>
    public bool CanResume => SessionId is not null && LastSeq is not null;

    /// <summary>Records a dispatch's sequence number.</summary>
    public void Advance(long seq) => Volatile.Write(ref _seq, seq);

    /// <summary>Forgets the session: the next connection identifies.</summary>
    public void Reset()
    {
        SessionId = null;
        ResumeUrl = null;
        Volatile.Write(ref _seq, -1);
    }
}
