using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Verifies Slack request signatures: <c>X-Slack-Signature = "v0=" + hex(HMAC-SHA256(secret,
/// "v0:" + X-Slack-Request-Timestamp + ":" + raw body))</c>, compared in constant time, with a replay window
/// (docs.slack.dev/authentication/verifying-requests-from-slack).</summary>
public static class SlackSignatureVerifier
{
    private const string Version = "v0";

    /// <summary>Checks one request.</summary>
    /// <param name="signingSecret">The app's signing secret.</param>
    /// <param name="timestampHeader">The <c>X-Slack-Request-Timestamp</c> value (Unix seconds); null when missing.</param>
    /// <param name="signatureHeader">The <c>X-Slack-Signature</c> value (<c>v0=</c> + 64 lower-case hex digits); null when missing.</param>
    /// <param name="rawBody">The body bytes exactly as received, before any JSON or form parsing.</param>
    /// <param name="now">The current time.</param>
    /// <param name="tolerance">Largest accepted distance between <paramref name="now"/> and the timestamp (Slack uses 5 minutes).</param>
    /// <returns>True when the signature matches and the timestamp is fresh.</returns>
    /// <exception cref="ArgumentException"><paramref name="signingSecret"/> is empty.</exception>
    public static bool IsValid(string signingSecret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> rawBody, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var age = now.ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > (long)tolerance.TotalSeconds)
        {
            return false;
        }

        return SecretComparer.SignatureMatches(Sign(signingSecret, timestampHeader, rawBody), signatureHeader.Trim());
    }

    /// <summary>Computes the signature Slack would send for a body.</summary>
    /// <param name="signingSecret">The signing secret.</param>
    /// <param name="timestamp">The <c>X-Slack-Request-Timestamp</c> value as sent.</param>
    /// <param name="rawBody">The raw body bytes.</param>
    /// <returns>ASCII bytes of <c>v0=</c> followed by 64 lower-case hex digits.</returns>
    public static byte[] Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Concat(Version, ":", timestamp, ":"));
        var baseString = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(baseString, 0);
        rawBody.CopyTo(baseString.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), baseString);
        return Encoding.ASCII.GetBytes(string.Concat(Version, "=", Convert.ToHexStringLower(mac)));
    }
}
