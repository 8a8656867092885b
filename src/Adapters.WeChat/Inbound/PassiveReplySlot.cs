namespace OpenClaw.Channels.WeChat;

/// <summary>One callback waiting for its answer. Exactly one party wins the hand-over: the sender
/// (<see cref="TryComplete"/>, the answer rides on the HTTP response) or the webhook (<see cref="TryExpire"/>,
/// the answer later goes through the send API).</summary>
internal sealed class PassiveReplySlot
{
    private const int Open = 0;
    private const int Completed = 1;
    private const int Expired = 2;

    private readonly TaskCompletionSource<string?> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public PassiveReplySlot(string id, string idempotencyKey, DateTimeOffset deadline)
    {
        Id = id;
        IdempotencyKey = idempotencyKey;
        Deadline = deadline;
    }

    /// <summary>Random id carried in <see cref="ChannelMessage.ReplyContext"/>.</summary>
    public string Id { get; }

    /// <summary>The message's idempotency key (retries find the slot by it).</summary>
    public string IdempotencyKey { get; }

    /// <summary>When the webhook stops waiting.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>Completes with the reply text, or null for "answer success now, the sender uses the API".</summary>
    public Task<string?> Answer => _answer.Task;

    /// <summary>True while neither side has won.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == Open;

    /// <summary>Hands <paramref name="text"/> to the waiting webhook.</summary>
    /// <param name="text">The passive reply text; null releases the webhook to answer <c>success</c>.</param>
    /// <returns>True when the webhook will carry <paramref name="text"/>; false when it has already given up.</returns>
    public bool TryComplete(string? text)
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Open) != Open)
        {
            return false;
        }

        _answer.TrySetResult(text);
        return true;
    }

    /// <summary>Marks the slot expired so a later answer goes through the API.</summary>
    /// <returns>True when this call expired it; false when an answer (or a release) got there first.</returns>
    public bool TryExpire()
    {
        if (Interlocked.CompareExchange(ref _state, Expired, Open) != Open)
        {
            return false;
        }

        _answer.TrySetResult(null);
        return true;
    }
}
