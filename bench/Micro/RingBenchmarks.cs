using BenchmarkDotNet.Attributes;
using OpenClaw.Channels.Hub.Routing;

namespace OpenClaw.Channels.Bench;

/// <summary>Consistent-hash ring lookup of a session key (the router's per-message cost).</summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    private readonly ConsistentHashRing _ring = new(["node-a", "node-b", "node-c"], 128);
    private readonly string[] _keys = Enumerable.Range(0, 1024).Select(i => $"agent:main:telegram:direct:{1_000_000 + i}").ToArray();
    private int _next;

    [Benchmark]
    public string Owner() => _ring.Owner(_keys[_next++ & 1023]);

    [Benchmark]
    public ConsistentHashRing Build() => new(["node-a", "node-b", "node-c"], 128);
}
