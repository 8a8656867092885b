namespace OpenClaw.Channels.Hub.Jobs;

/// <summary>A state change whose job data came from <see cref="ProcessedJobCache"/> was not committed: the job was no
/// longer in the state that data showed (another process changed it meanwhile, e.g. a Requeue or Delete on the
/// dashboard). Nothing was written; Hangfire's worker retries the state change on a fresh read.</summary>
internal sealed class JobStateChangedException : InvalidOperationException
{
    /// <summary>A state change of <paramref name="jobId"/> found it changed meanwhile.</summary>
    /// <param name="jobId">The Hangfire job id.</param>
    public JobStateChangedException(string jobId)
        : base($"Background job '{jobId}' left the state its cached job data showed; nothing was written, the state change is retried on a fresh read.")
    {
    }

    /// <summary>Not used: the job id is part of the message.</summary>
    public JobStateChangedException()
    {
    }

    /// <summary>Not used: the job id is part of the message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public JobStateChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
