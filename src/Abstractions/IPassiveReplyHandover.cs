namespace OpenClaw.Channels;

/// <summary>Hands a fast answer from the node that ran the turn to the node holding the platform callback that waits
/// for it (WeChat's passive reply: the answer rides on the HTTP response of the callback within its 5-s window,
/// developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html). Each slot is won by
/// exactly one side in one atomic claim: the run (<see cref="TryHandOverAsync"/> returns true, the callback carries the
/// answer) or the callback (its window ended first, <see cref="TryHandOverAsync"/> returns false and the run sends
/// through the platform's API). A claimed answer is delivered once even if the callback's node dies: the callback takes
/// it (<see cref="WaitAsync"/>), writes it onto its HTTP response and confirms (<see cref="ConfirmAsync"/>); the run waits
/// for that confirmation (<see cref="AwaitDeliveryAsync"/>, bounded by the window plus a margin, shorter when the
/// callback's node left the cluster) and otherwise withdraws the answer in one atomic step and sends it through the API.
/// What remains is a crash after the response was written but before the confirmation (the user gets the answer
/// twice). Redis in a cluster (the hub: a hash per slot and pub/sub to wake the waiters; the same code against Garnet in
/// embedded mode), <see cref="LocalPassiveReplyHandover"/> in one process.</summary>
public interface IPassiveReplyHandover
{
    /// <summary>Opens the slot of <paramref name="key"/> for <paramref name="window"/>, or joins the slot of the same key
    /// that is still open (a platform retry of a callback that is still waiting).</summary>
    /// <param name="key">The message's idempotency key.</param>
    /// <param name="window">How long the callback waits, from now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The slot: its id (carried to the run in <see cref="ChannelMessage.ReplyContext"/>), whether this call
    /// opened it, and the time left of its window.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not positive.</exception>
    Task<PassiveReplySlot> OpenAsync(string key, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The callback's side: waits up to <paramref name="timeout"/> for the run's answer, then closes the slot
    /// (claiming it as expired unless the run claimed it first). Cancellation of <paramref name="cancellationToken"/>
    /// ends the wait early; the slot is still closed.</summary>
    /// <param name="slotId">The id from <see cref="OpenAsync"/>.</param>
    /// <param name="timeout">The time left of the window.</param>
    /// <param name="cancellationToken">Ends the wait (the callback's request was aborted).</param>
    /// <returns>The answer to put on the callback response, taken for this callback (call <see cref="ConfirmAsync"/> once
    /// it is written), or <see langword="null"/> when the run released the slot, did not answer in time, withdrew the
    /// answer, another callback of the same slot took it, or <paramref name="cancellationToken"/> was cancelled (the
    /// callback then answers <c>success</c>; a claimed answer is withdrawn and the run sends it through the API).</returns>
    Task<string?> WaitAsync(string slotId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The callback's side, after the answer <see cref="WaitAsync"/> returned went onto the HTTP response
    /// (flushed to the connection): tells the run that handed it over that it was delivered, so it does not send it
    /// through the API.</summary>
    /// <param name="slotId">The id from <see cref="OpenAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when confirmed in time; false when the run had already withdrawn the answer (it sends it through
    /// the API as well: the user gets it twice).</returns>
    Task<bool> ConfirmAsync(string slotId, CancellationToken cancellationToken);

    /// <summary>Closes a slot nobody will answer through (the message was ignored or is a duplicate of a finished one).</summary>
    /// <param name="slotId">The id from <see cref="OpenAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task CloseAsync(string slotId, CancellationToken cancellationToken);

    /// <summary>The run's side, on any node: claims the slot for <paramref name="answer"/> if it is still open and
    /// within its window.</summary>
    /// <param name="slotId">The id from <see cref="ChannelMessage.ReplyContext"/>.</param>
    /// <param name="answer">The answer payload (adapter-defined text); <see langword="null"/> releases the waiting
    /// callback at once (it answers <c>success</c>) because the answer goes through the API.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the callback will carry <paramref name="answer"/> (or, for null, was released); false when the
    /// window ended first (send through the API instead).</returns>
    Task<bool> TryHandOverAsync(string slotId, string? answer, CancellationToken cancellationToken);

    /// <summary>The run's side, after <see cref="TryHandOverAsync"/> claimed the slot for an answer: waits until the
    /// callback confirms that the answer went onto its response (<see cref="ConfirmAsync"/>). Without a confirmation by
    /// the end of the slot's window plus a margin (sooner when the callback's node left the cluster), withdraws the
    /// answer in one atomic step, so the callback can no longer take it.</summary>
    /// <param name="slotId">The id from <see cref="ChannelMessage.ReplyContext"/>.</param>
    /// <param name="cancellationToken">Cancels the wait; the answer is withdrawn first unless it was delivered.</param>
    /// <returns>True when the callback delivered the answer; false when it was withdrawn (send it through the API).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled and the answer was
    /// withdrawn.</exception>
    Task<bool> AwaitDeliveryAsync(string slotId, CancellationToken cancellationToken);
}
