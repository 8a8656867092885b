using System.Security.Cryptography;
using System.Text;

namespace OpenClaw.Channels.Agent;

/// <summary>Maps a session key to a file name that is safe on Linux, macOS and Windows file systems.</summary>
internal static class TranscriptFileName
{
    /// <summary>Longest encoded stem kept before it is shortened with a hash (characters).</summary>
    private const int MaxStemLength = 180;

    /// <summary>Returns the file name stem (without extension) for <paramref name="sessionKey"/>: letters, digits, <c>-</c> and
    /// <c>.</c> are kept, every other UTF-8 byte becomes <c>%XX</c> (so <c>agent:main:telegram:direct:1</c> gives
    /// <c>agent%3Amain%3Atelegram%3Adirect%3A1</c>), a leading dot is escaped, and stems longer than 180 characters are cut
    /// and suffixed with 16 hex characters of the key's SHA-256 so distinct keys keep distinct files.</summary>
    /// <exception cref="ArgumentException"><paramref name="sessionKey"/> is empty.</exception>
    public static string Encode(string sessionKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        var bytes = Encoding.UTF8.GetBytes(sessionKey);
        var sb = new StringBuilder(bytes.Length + 16);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || (b == '.' && i > 0);
            if (keep)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2"));
            }
        }

        if (sb.Length <= MaxStemLength)
        {
            return sb.ToString();
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes), 0, 8);
        return string.Concat(sb.ToString(0, MaxStemLength - 17), "~", hash);
    }
}
