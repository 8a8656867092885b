using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Channels.Hub.Embedded;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests;

/// <summary>An embedded Garnet server as the hub starts it without <c>ConnectionStrings:Redis</c> (<see cref="EmbeddedGarnet"/>,
/// default <see cref="EmbeddedOptions"/>, its own temporary data directory), so store tests run against real Redis and
/// against the embedded engine.</summary>
public sealed class TestGarnet : IDisposable
{
    private readonly EmbeddedGarnet _server;

    public TestGarnet()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "openclaw-tests", "garnet-" + Guid.NewGuid().ToString("N"));
        _server = new EmbeddedGarnet(DataDirectory, new EmbeddedOptions(), NullLoggerFactory.Instance);
        Multiplexer = ConnectionMultiplexer.Connect(_server.ConnectionString);
    }

    public string DataDirectory { get; }

    public IConnectionMultiplexer Multiplexer { get; }

    public void Dispose()
    {
        Multiplexer.Dispose();
        _server.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Garnet may still close a segment file; the temp folder is cleaned by the OS.
        }
    }
}
