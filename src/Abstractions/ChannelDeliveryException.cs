namespace OpenClaw.Channels;

/// <summary>A platform refused an outbound call. Adapters derive their own type (e.g. <c>SlackApiException</c>) and
/// keep the inner exception. Messages never contain tokens or secrets.</summary>
public class ChannelDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChannelDeliveryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed, without secrets.</param>
    public ChannelDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed, without secrets.</param>
    /// <param name="innerException">The cause.</param>
    public ChannelDeliveryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The platform's error code (<c>429</c>, Slack <c>channel_not_found</c>, WeChat <c>45015</c>); may be null.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>How long the platform asked us to wait, when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when trying again later may succeed (rate limits, 5xx, timeouts).</summary>
    public bool IsTransient { get; init; }
}
