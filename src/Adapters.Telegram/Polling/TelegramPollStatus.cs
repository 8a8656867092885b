namespace OpenClaw.Channels.Telegram;

/// <summary>Last outcome of the long-poll loop, reported by the health check.</summary>
public enum TelegramPollStatus
{
    /// <summary>Not polling (webhook mode, or not started yet).</summary>
    NotPolling,

    /// <summary>The last <c>getUpdates</c> succeeded.</summary>
    Ok,

    /// <summary>409 Conflict: a webhook is set or another instance polls the same bot.</summary>
    Conflict,

    /// <summary>401 Unauthorized: the token was revoked or is wrong.</summary>
    Unauthorized,

    /// <summary>Another error (network, 5xx, pipeline failure); the loop backs off and retries.</summary>
    Failing,
}
