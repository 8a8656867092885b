namespace OpenClaw.Channels.Tests;

/// <summary>A hub a fault or cross-node test drives, whichever way it runs: a separate process (<see cref="HubProcess"/>,
/// for tests whose fault is the hub's own death: SIGKILL, SIGTERM, SIGSTOP) or in the test process
/// (<see cref="LoggedHubNode"/>, for faults elsewhere: a redis-server killed, a lease taken, a backlog).</summary>
public interface ITestHub : IAsyncDisposable
{
    /// <summary>The hub's <c>Hub:NodeId</c>.</summary>
    string NodeId { get; }

    /// <summary>The hub's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    string BaseUrl { get; }

    /// <summary>A client on <see cref="BaseUrl"/>.</summary>
    HttpClient Http { get; }

    /// <summary>Everything the hub logged so far, one line per entry, in order (for a process: its standard output and
    /// error).</summary>
    HubOutput Output { get; }

    /// <summary>How many lines of <see cref="Output"/> contain <paramref name="fragment"/> (ordinal).</summary>
    int CountLines(string fragment);
}
