using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Embedded;

/// <summary>What <see cref="SpillWorkload"/> writes: strings with a TTL (Garnet's inline records), or lists, hashes and
/// sorted sets (its object records).</summary>
public enum SpillKind
{
    /// <summary>Strings of about 1 KiB, each with a one-hour TTL.</summary>
    Strings,

    /// <summary>Lists, hashes and sorted sets of 16 elements of about 64 bytes each.</summary>
    Collections,
}

/// <summary>A deterministic data set of a given size written to a Redis server and read back: key <c>i</c>'s contents
/// follow from <c>i</c> alone, so a check after a restart needs nothing kept from the writing run.</summary>
/// <param name="kind">Which record types are written.</param>
/// <param name="totalBytes">How many value bytes to write (keys and element names not counted).</param>
public sealed class SpillWorkload(SpillKind kind, long totalBytes)
{
    /// <summary>The TTL put on every string: one hour.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    private const int StringBytes = 1024;
    private const int Elements = 16;
    private const int ElementBytes = 64;
    private const int Batch = 256;

    /// <summary>Number of keys the workload writes.</summary>
    public int Keys => (int)(totalBytes / (kind == SpillKind.Strings ? StringBytes : Elements * ElementBytes));

    /// <summary>Writes every key, <see cref="Batch"/> commands in flight at a time.</summary>
    public async Task WriteAsync(IDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        for (var start = 0; start < Keys; start += Batch)
        {
            var writes = new List<Task>(Batch);
            for (var i = start; i < Math.Min(start + Batch, Keys); i++)
            {
                writes.Add(Write(db, i));
            }

            await Task.WhenAll(writes);
        }
    }

    /// <summary>Reads every key back and lists what differs from what was written (empty when all is there).</summary>
    /// <param name="db">The server to read.</param>
    /// <param name="ttlMustRemain">Whether each string must still carry a TTL of at most <see cref="Ttl"/>.</param>
    public async Task<IReadOnlyList<string>> VerifyAsync(IDatabase db, bool ttlMustRemain)
    {
        ArgumentNullException.ThrowIfNull(db);
        var problems = new List<string>();
        for (var start = 0; start < Keys; start += Batch)
        {
            var reads = new List<Task<string?>>(Batch);
            for (var i = start; i < Math.Min(start + Batch, Keys); i++)
            {
                reads.Add(Check(db, i, ttlMustRemain));
            }

            foreach (var problem in await Task.WhenAll(reads))
            {
                if (problem is not null)
                {
                    problems.Add(problem);
                }
            }
        }

        return problems;
    }

    private Task Write(IDatabase db, int i)
    {
        if (kind == SpillKind.Strings)
        {
            return db.StringSetAsync(StringKey(i), Value(i, 0, StringBytes), Ttl);
        }

        var elements = Enumerable.Range(0, Elements).Select(e => (RedisValue)Value(i, e, ElementBytes)).ToArray();
        return (i % 3) switch
        {
            0 => db.ListRightPushAsync(CollectionKey(i), elements),
            1 => db.HashSetAsync(CollectionKey(i), elements.Select((v, e) => new HashEntry(Field(e), v)).ToArray()),
            _ => db.SortedSetAddAsync(CollectionKey(i), elements.Select((v, e) => new SortedSetEntry(v, e)).ToArray()),
        };
    }

    private async Task<string?> Check(IDatabase db, int i, bool ttlMustRemain)
    {
        if (kind == SpillKind.Strings)
        {
            var key = StringKey(i);
            var value = await db.StringGetAsync(key);
            if (value != Value(i, 0, StringBytes))
            {
                return value.IsNull ? $"{key} missing" : $"{key} has another value";
            }

            var ttl = await db.KeyTimeToLiveAsync(key);
            return ttlMustRemain && (ttl is null || ttl <= TimeSpan.Zero || ttl > Ttl) ? $"{key} TTL is {ttl?.ToString() ?? "none"}" : null;
        }

        var name = CollectionKey(i);
        var expected = Enumerable.Range(0, Elements).Select(e => Value(i, e, ElementBytes)).ToArray();
        string[] actual = (i % 3) switch
        {
            0 => [.. (await db.ListRangeAsync(name)).Select(v => v.ToString())],
            1 => [.. (await db.HashGetAllAsync(name)).OrderBy(h => (string?)h.Name, StringComparer.Ordinal).Select(h => h.Value.ToString())],
            _ => [.. (await db.SortedSetRangeByRankWithScoresAsync(name)).Select(s => $"{s.Element}@{s.Score.ToString(CultureInfo.InvariantCulture)}")],
        };
        if (i % 3 == 2)
        {
            expected = [.. expected.Select((v, e) => $"{v}@{e.ToString(CultureInfo.InvariantCulture)}")];
        }

        return actual.SequenceEqual(expected, StringComparer.Ordinal) ? null
            : actual.Length == 0 ? $"{name} missing" : $"{name} has {actual.Length} other elements";
    }

    private static string StringKey(int i) => "spill:s:" + i.ToString(CultureInfo.InvariantCulture);

    private static string CollectionKey(int i) => ((i % 3) switch { 0 => "spill:l:", 1 => "spill:h:", _ => "spill:z:" }) + i.ToString(CultureInfo.InvariantCulture);

    // Fixed-width field names sort in element order.
    private static string Field(int e) => "f" + e.ToString("D2", CultureInfo.InvariantCulture);

    // Key i's element e: its own prefix, then filler, so a record read from the wrong place never passes.
    private static string Value(int i, int e, int length)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{i}/{e}:");
        var text = new StringBuilder(prefix, length);
        while (text.Length < length)
        {
            text.Append((char)('a' + ((i + e + text.Length) % 26)));
        }

        return text.ToString();
    }
}
