using System.Security.Cryptography;

namespace OpenClaw.Channels;

/// <summary>Creates ULID-shaped ids: 26 Crockford base32 characters, 48 bits of Unix time in ms then 80 random bits,
/// so ids sort by creation time (ulid/spec).</summary>
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
        RandomNumberGenerator.Fill(random);
        var ms = (ulong)time.ToUnixTimeMilliseconds();
        return string.Create(26, (ms, r: Convert.ToHexString(random)), static (span, state) =>
        {
            var t = state.ms;
            for (var i = 9; i >= 0; i--)
            {
                span[i] = Alphabet[(int)(t & 31)];
                t >>= 5;
            }

            // 80 random bits = 16 base32 chars; rebuild them from the hex string (20 hex chars = 80 bits).
            var bits = UInt128.Parse(state.r, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 25; i >= 10; i--)
            {
                span[i] = Alphabet[(int)(bits & 31)];
                bits >>= 5;
            }
        });
    }
}
