using OpenClaw.Channels.Hub.Routing;

namespace OpenClaw.Channels.Tests;

public class ConsistentHashRingTests
{
    private static readonly string[] Keys = Enumerable.Range(0, 10_000).Select(i => $"agent:main:telegram:direct:{i}").ToArray();

    [Fact]
    public void Owner_IsStable_AndIndependentOfNodeOrder()
    {
        var a = new ConsistentHashRing(["n1", "n2", "n3"], 128);
        var b = new ConsistentHashRing(["n3", "n1", "n2", "n1"], 128);
        Assert.All(Keys, k => Assert.Equal(a.Owner(k), b.Owner(k)));
    }

    [Fact]
    public void Keys_SpreadEvenly()
    {
        var ring = new ConsistentHashRing(["n1", "n2", "n3"], 128);
        var counts = Keys.GroupBy(ring.Owner).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 2_600, 4_100));
    }

    [Fact]
    public void RemovingANode_MovesOnlyItsKeys()
    {
        var before = new ConsistentHashRing(["n1", "n2", "n3"], 128);
        var after = new ConsistentHashRing(["n1", "n2"], 128);
        foreach (var key in Keys)
        {
            if (before.Owner(key) != "n3")
            {
                Assert.Equal(before.Owner(key), after.Owner(key));
            }
        }
    }

    [Fact]
    public void EmptyRing_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ConsistentHashRing([], 8));
    }
}
