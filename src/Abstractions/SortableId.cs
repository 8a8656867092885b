namespace OpenClaw.Channels;

/// <summary>Creates ULID-shaped ids: 26 Crockford base32 characters, 48 bits of Unix time in ms then 80 random bits,
/// so ids sort by creation time (github.com/ulid/spec). Not for secrets: the random part is not cryptographic.</summary>
public static class SortableId
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Returns a new id for the current time.</summary>
    public static string NewId() => NewId(DateTimeOffset.UtcNow);

    /// <summary>Returns a new id for <paramref name="time"/>.</summary>
    /// <param name="time">The creation time; only milliseconds since the Unix epoch are kept.</param>
    public static string NewId(DateTimeOffset time)
    {
        Span<byte> random = stackalloc byte[10];
        Random.Shared.NextBytes(random); // ids are not secrets; the shared PRNG is ~10x cheaper than the crypto one
        var high = ((ulong)random[0] << 32) | ((ulong)random[1] << 24) | ((ulong)random[2] << 16) | ((ulong)random[3] << 8) | random[4];
        var low = ((ulong)random[5] << 32) | ((ulong)random[6] << 24) | ((ulong)random[7] << 16) | ((ulong)random[8] << 8) | random[9];
        return string.Create(26, ((ulong)time.ToUnixTimeMilliseconds(), high, low), static (span, state) =>
        {
            var (t, high, low) = state;
            for (var i = 9; i >= 0; i--, t >>= 5)
            {
                span[i] = Alphabet[(int)(t & 31)];
            }

            for (var i = 17; i >= 10; i--, high >>= 5)
            {
                span[i] = Alphabet[(int)(high & 31)];
            }

            for (var i = 25; i >= 18; i--, low >>= 5)
            {
                span[i] = Alphabet[(int)(low & 31)];
            }
        });
    }

    /// <summary>Reads the creation time back from an id made by <see cref="NewId()"/>.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The time (ms precision), or <see langword="null"/> when <paramref name="id"/> is not such an id.</returns>
    public static DateTimeOffset? TryGetTime(string? id)
    {
        if (id is null || id.Length != 26)
        {
            return null;
        }

        ulong ms = 0;
        for (var i = 0; i < 10; i++)
        {
            var digit = Alphabet.IndexOf(id[i], StringComparison.Ordinal);
            if (digit < 0)
            {
                return null;
            }

            ms = (ms << 5) | (uint)digit;
        }

        return ms > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
    }
}
