using System.Security.Cryptography;
using System.Text;

namespace OpenClaw.Channels.Adapters;

/// <summary>Constant-time comparisons of presented secrets and signatures, over
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so a webhook's answer time leaks nothing about the
/// expected value.</summary>
public static class SecretComparer
{
    /// <summary>Compares two secrets (e.g. Telegram's <c>X-Telegram-Bot-Api-Secret-Token</c>) by their SHA-256
    /// digests, so neither the content nor the length of <paramref name="expected"/> leaks through timing.</summary>
    /// <param name="presented">What the request carried.</param>
    /// <param name="expected">The configured secret.</param>
    /// <returns>True when both are the same UTF-8 text.</returns>
    public static bool Matches(string presented, string expected)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(expected);
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>Compares a presented secret with the SHA-256 digest of the configured one.</summary>
    /// <param name="presented">What the request carried.</param>
    /// <param name="expectedSha256">The 32-byte SHA-256 digest of the UTF-8 secret.</param>
    /// <returns>True when the digest of <paramref name="presented"/> is <paramref name="expectedSha256"/>.</returns>
    public static bool MatchesDigest(string presented, ReadOnlySpan<byte> expectedSha256)
    {
        ArgumentNullException.ThrowIfNull(presented);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        return CryptographicOperations.FixedTimeEquals(digest, expectedSha256);
    }

    /// <summary>Compares a presented signature (an ASCII header value such as Slack's <c>v0=…</c> or WeChat's hex
    /// <c>signature</c>) with the one computed over the request.</summary>
    /// <param name="expected">The computed signature's ASCII bytes.</param>
    /// <param name="presented">The header or query value as sent.</param>
    /// <returns>True when they are the same bytes.</returns>
    public static bool SignatureMatches(ReadOnlySpan<byte> expected, string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(presented));
    }
}
