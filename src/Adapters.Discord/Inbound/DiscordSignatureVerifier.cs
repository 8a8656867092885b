using System.Text;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace OpenClaw.Channels.Discord;

/// <summary>Verifies Discord's interaction request signatures: Ed25519 over <c>X-Signature-Timestamp</c> followed by
/// the raw body, with the application's public key (discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers).</summary>
internal sealed class DiscordSignatureVerifier
{
    private readonly PublicKey? _key;

    public DiscordSignatureVerifier(IOptions<DiscordOptions> options)
    {
        var hex = options.Value.PublicKey;
        if (!string.IsNullOrEmpty(hex))
        {
            _key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(hex), KeyBlobFormat.RawPublicKey);
        }
    }

    /// <summary>True when <paramref name="signatureHex"/> (128 hex characters) signs <paramref name="timestamp"/> +
    /// <paramref name="body"/>. False for a missing key, a missing or malformed header, or a bad signature.</summary>
    public bool Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_key is null || string.IsNullOrEmpty(timestamp) || signatureHex is not { Length: 128 })
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }

        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var data = new byte[stamp.Length + body.Length];
        stamp.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(stamp.Length));
        return SignatureAlgorithm.Ed25519.Verify(_key, data, signature);
    }
}
