using System.Text;

namespace OpenClaw.Channels.Hub.Routing;

/// <summary>An immutable consistent-hash ring: each node owns <c>virtualNodes</c> points on a 64-bit circle; a key
/// belongs to the first point clockwise from its hash. Adding or removing one node moves only about 1/N of the keys.</summary>
public sealed class ConsistentHashRing
{
    private readonly ulong[] _points;
    private readonly string[] _owners;

    /// <summary>Builds the ring.</summary>
    /// <param name="nodes">Node ids; duplicates are ignored. At least one.</param>
    /// <param name="virtualNodes">Points per node (at least 1); 128 keeps the spread within a few percent.</param>
    /// <exception cref="ArgumentException"><paramref name="nodes"/> is empty.</exception>
    public ConsistentHashRing(IEnumerable<string> nodes, int virtualNodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodes, 1);
        Nodes = nodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (Nodes.Count == 0)
        {
            throw new ArgumentException("A ring needs at least one node.", nameof(nodes));
        }

        var points = new List<(ulong Point, string Node)>(Nodes.Count * virtualNodes);
        foreach (var node in Nodes)
        {
            for (var i = 0; i < virtualNodes; i++)
            {
                points.Add((Hash($"{node}#{i}"), node));
            }
        }

        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : string.CompareOrdinal(a.Node, b.Node));
        _points = points.Select(p => p.Point).ToArray();
        _owners = points.Select(p => p.Node).ToArray();
    }

    /// <summary>The node ids on the ring, sorted.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Returns the node owning <paramref name="key"/>.</summary>
    /// <param name="key">A session key.</param>
    public string Owner(string key)
    {
        var hash = Hash(key);
        var index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }

    /// <summary>64-bit FNV-1a over the UTF-8 bytes, finished with the MurmurHash3 fmix64 avalanche.</summary>
    /// <param name="value">The string to hash.</param>
    public static ulong Hash(string value)
    {
        Span<byte> buffer = value.Length <= 256 ? stackalloc byte[value.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        var length = Encoding.UTF8.GetBytes(value, buffer);
        var hash = 14695981039346656037UL;
        foreach (var b in buffer[..length])
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
