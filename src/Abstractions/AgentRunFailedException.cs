namespace OpenClaw.Channels;

/// <summary>Marks a Hangfire agent-run job as failed after the user already got a short error reply. The job is not
/// retried automatically (no double replies).</summary>
public sealed class AgentRunFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentRunFailedException()
    {
    }

    /// <summary>Creates the exception with a message (no secrets).</summary>
    /// <param name="message">What failed.</param>
    public AgentRunFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public AgentRunFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
