namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>Thrown by an agent run that stopped because of a transient failure (Redis down, platform or model
/// unavailable, session lease lost). Its message is still at the head of the inbox; Hangfire retries the run with
/// backoff (<see cref="AgentRunJob"/>'s <c>AutomaticRetry</c>).</summary>
public sealed class AgentRunRetryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentRunRetryException()
    {
    }

    /// <summary>Creates the exception with a message (no secrets).</summary>
    /// <param name="message">What failed.</param>
    public AgentRunRetryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public AgentRunRetryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
