namespace OpenClaw.Channels.Discord;

/// <summary>How one gateway connection ended and what to do next.</summary>
/// <param name="Next">Resume the session, start a new one, or stop for good.</param>
/// <param name="Reason">Why, for logs and the health check (close code and meaning).</param>
/// <param name="Delay">A wait the protocol asks for before reconnecting (op 9: 1–5 s); <see langword="null"/> for the backoff.</param>
/// <param name="ReachedReady">True when READY or RESUMED arrived on this connection (resets the backoff).</param>
/// <param name="CloseCode">The gateway close code, when the connection ended with one.</param>
internal sealed record GatewayOutcome(GatewayNext Next, string Reason, TimeSpan? Delay = null, bool ReachedReady = false, int? CloseCode = null);
