using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace OpenClaw.Channels.Tests.Embedded;

/// <summary>What <see cref="SpillWorkload"/> writes: strings with a TTL only (Garnet's inline records), or those mixed
/// with lists, hashes and sorted sets (its object records, kept on the heap and serialized to the object log).</summary>
public enum SpillKind
{
    /// <summary>Strings of 4 KiB, each with a one-hour TTL.</summary>
    Strings,

    /// <summary>Strings as <see cref="Strings"/>, lists, hashes and sorted sets of 16 elements of 256 bytes, in turn;
    /// each collection written by one command.</summary>
    Mixed,

    /// <summary>As <see cref="Mixed"/>, but collections of 64 elements, each written by 8 commands of 8 elements, all keys
    /// of a batch in turn: objects grow in place while older ones are serialized to disk.</summary>
    GrownInPlace,
}

/// <summary>A deterministic data set of a given size written to a Redis server and read back: key <c>i</c>'s contents
/// follow from <c>i</c> alone, so a check after a restart needs nothing kept from the writing run.</summary>
/// <param name="kind">Which record types are written.</param>
/// <param name="totalBytes">How many value bytes to write (keys and element names not counted).</param>
public sealed class SpillWorkload(SpillKind kind, long totalBytes)
{
    /// <summary>The TTL put on every string: one hour.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    private const int StringBytes = 4096;
    private const int ElementBytes = 256;
    private const int Batch = 256;

    // Elements of a collection, and the commands that write them.
    private int Elements => kind == SpillKind.GrownInPlace ? 64 : 16;

    private int Steps => kind == SpillKind.GrownInPlace ? 8 : 1;

    /// <summary>Number of keys the workload writes.</summary>
    public int Keys => (int)(totalBytes / kind switch
    {
        SpillKind.Strings => StringBytes,
        _ => (StringBytes + (3 * Elements * ElementBytes)) / 4,
    });

    // What key i holds: 0 string, 1 list, 2 hash, 3 sorted set.
    private int Type(int i) => kind switch
    {
        SpillKind.Strings => 0,
        _ => i % 4,
    };

    /// <summary>Writes every key, <see cref="Batch"/> commands in flight at a time.</summary>
    public async Task WriteAsync(IReadOnlyList<IDatabase> db)
    {
        ArgumentNullException.ThrowIfNull(db);
        for (var start = 0; start < Keys; start += Batch)
        {
            var writes = new List<Task>(Batch);
            for (var step = 0; step < Steps; step++)
            {
                for (var i = start; i < Math.Min(start + Batch, Keys); i++)
                {
                    writes.Add(Write(db[i % db.Count], i, step));
                }
            }

            await Task.WhenAll(writes);
        }
    }

    /// <summary>Reads every key back and lists what differs from what was written (empty when all is there).</summary>
    /// <param name="db">The server to read.</param>
    /// <param name="ttlMustRemain">Whether each string must still carry a TTL of at most <see cref="Ttl"/>.</param>
    public async Task<IReadOnlyList<string>> VerifyAsync(IReadOnlyList<IDatabase> db, bool ttlMustRemain)
    {
        ArgumentNullException.ThrowIfNull(db);
        var problems = new List<string>();
        for (var start = 0; start < Keys; start += Batch)
        {
            var reads = new List<Task<string?>>(Batch);
            for (var i = start; i < Math.Min(start + Batch, Keys); i++)
            {
                reads.Add(Check(db[i % db.Count], i, ttlMustRemain));
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

    private Task Write(IDatabase db, int i, int step)
    {
        if (Type(i) == 0)
        {
            return step == 0 ? db.StringSetAsync(StringKey(i), Value(i, 0, StringBytes), Ttl) : Task.CompletedTask;
        }

        var per = Elements / Steps;
        var elements = Enumerable.Range(step * per, per).Select(e => (RedisValue)Value(i, e, ElementBytes)).ToArray();
        return Type(i) switch
        {
            1 => db.ListRightPushAsync(CollectionKey(i), elements),
            2 => db.HashSetAsync(CollectionKey(i), elements.Select((v, e) => new HashEntry(Field((step * per) + e), v)).ToArray()),
            _ => db.SortedSetAddAsync(CollectionKey(i), elements.Select((v, e) => new SortedSetEntry(v, (step * per) + e)).ToArray()),
        };
    }

    private async Task<string?> Check(IDatabase db, int i, bool ttlMustRemain)
    {
        if (Type(i) == 0)
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
        string[] actual = Type(i) switch
        {
            1 => [.. (await db.ListRangeAsync(name)).Select(v => v.ToString())],
            2 => [.. (await db.HashGetAllAsync(name)).OrderBy(h => (string?)h.Name, StringComparer.Ordinal).Select(h => h.Value.ToString())],
            _ => [.. (await db.SortedSetRangeByRankWithScoresAsync(name)).Select(s => $"{s.Element}@{s.Score.ToString(CultureInfo.InvariantCulture)}")],
        };
        if (Type(i) == 3)
        {
            expected = [.. expected.Select((v, e) => $"{v}@{e.ToString(CultureInfo.InvariantCulture)}")];
        }

        return actual.SequenceEqual(expected, StringComparer.Ordinal) ? null
            : actual.Length == 0 ? $"{name} missing" : $"{name} has {actual.Length} other elements";
    }

    private static string StringKey(int i) => "spill:s:" + i.ToString(CultureInfo.InvariantCulture);

    private string CollectionKey(int i) => (Type(i) switch { 1 => "spill:l:", 2 => "spill:h:", _ => "spill:z:" }) + i.ToString(CultureInfo.InvariantCulture);

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
