using StackExchange.Redis;

namespace OpenClaw.Channels.Tests;

/// <summary>The real Redis the tests use: <c>OPENCLAW_TEST_REDIS</c>, default 127.0.0.1:6390 (started by .ci/run).
/// Each test takes its own key prefix so tests run in parallel.</summary>
public sealed class TestRedis : IDisposable
{
    public TestRedis()
    {
        ConnectionString = Environment.GetEnvironmentVariable("OPENCLAW_TEST_REDIS") ?? "127.0.0.1:6390";
        Multiplexer = ConnectionMultiplexer.Connect(ConnectionString + ",abortConnect=false,connectTimeout=2000");
        if (!Multiplexer.IsConnected)
        {
            throw new InvalidOperationException($"Tests need a Redis at {ConnectionString}: run `redis-server --port 6390 --save '' --daemonize yes` (see .ci/run).");
        }
    }

    public string ConnectionString { get; }

    public IConnectionMultiplexer Multiplexer { get; }

    public static string NewPrefix() => $"test:{Guid.NewGuid():N}:";

    public void Dispose() => Multiplexer.Dispose();
}
