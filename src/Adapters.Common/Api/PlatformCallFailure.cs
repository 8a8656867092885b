namespace OpenClaw.Channels.Adapters;

/// <summary>How a call to a platform's HTTP API failed before an answer could be used (see <see cref="PlatformHttp"/>).</summary>
public enum PlatformCallFailure
{
    /// <summary>No answer: DNS, connection or TLS failure, a reset (<see cref="HttpRequestException"/>).</summary>
    Network,

    /// <summary>The HttpClient's timeout passed (not the caller's cancellation).</summary>
    Timeout,

    /// <summary>An answer came whose body is not JSON.</summary>
    NotJson,
}
