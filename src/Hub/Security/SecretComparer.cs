using System.Security.Cryptography;
using System.Text;

namespace OpenClaw.Channels.Hub.Security;

/// <summary>Compares a presented secret with the configured one in constant time (over SHA-256 digests, so the
/// lengths leak nothing either).</summary>
internal static class SecretComparer
{
    public static bool Matches(string presented, string expected)
        => CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
