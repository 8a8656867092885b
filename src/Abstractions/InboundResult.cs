namespace OpenClaw.Channels;

/// <summary>The result of <see cref="IInboundPipeline.AcceptAsync"/>.</summary>
/// <param name="Outcome">Accepted, duplicate or ignored.</param>
/// <param name="SessionKey">The session the message was routed to; <see langword="null"/> unless accepted.</param>
/// <param name="Reason">Why it was ignored (<c>not-mentioned</c>, <c>not-allowed</c>, <c>bot</c>); <see langword="null"/> otherwise.</param>
public sealed record InboundResult(InboundOutcome Outcome, string? SessionKey = null, string? Reason = null)
{
    /// <summary>A duplicate delivery.</summary>
    public static InboundResult Duplicate { get; } = new(InboundOutcome.Duplicate);

    /// <summary>An ignored message with its reason.</summary>
    /// <param name="reason">Short reason code.</param>
    public static InboundResult Ignored(string reason) => new(InboundOutcome.Ignored, null, reason);
}
