namespace OpenClaw.Channels.Agent;

/// <summary>Input of one agent turn.</summary>
public sealed record AgentRunRequest
{
    /// <summary>The session key (<see cref="SessionKey.Value"/>); selects the transcript.</summary>
    public required string SessionKey { get; init; }

    /// <summary>New user messages of this turn, in arrival order; may be empty when <see cref="Prompt"/> is set.</summary>
    public IReadOnlyList<ChannelMessage> Messages { get; init; } = [];

    /// <summary>A prompt that is not a chat message (a cron job's prompt); appended as a user turn after <see cref="Messages"/>.</summary>
    public string? Prompt { get; init; }

    /// <summary>Where the answer will be delivered; tools use it (e.g. <c>schedule_job</c> targets this chat). May be null.</summary>
    public DeliveryTarget? Target { get; init; }

    /// <summary>Called with the answer text so far while the model streams, for channels that edit a placeholder;
    /// <see langword="null"/> for no streaming.</summary>
    public Func<string, CancellationToken, Task>? OnPartialText { get; init; }

    /// <summary>Trace id to tag model calls with.</summary>
    public string? TraceId { get; init; }
}
