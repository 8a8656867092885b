using System.Collections;

namespace OpenClaw.Channels.Tests;

/// <summary>An allow-list whose lookup fails, so <see cref="Fakes.RecordingInboundPipeline"/> throws from
/// <c>AcceptAsync</c> the way the hub's pipeline does when its store is down.</summary>
internal sealed class ThrowingAllowList : IReadOnlyCollection<string>
{
    public int Count => 1;

    public IEnumerator<string> GetEnumerator() => throw new InvalidOperationException("store unavailable");

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
