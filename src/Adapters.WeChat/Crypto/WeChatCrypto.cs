using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.WeChat;

/// <summary>WeChat / WeCom callback cryptography: SHA-1 signatures and safe-mode (安全模式) AES-256-CBC.
/// Key = Base64(EncodingAESKey + "="), 32 bytes; IV = the key's first 16 bytes; PKCS#7 padding to 32-byte blocks;
/// plaintext = 16 random bytes ‖ 4-byte big-endian length ‖ message ‖ receive id (AppId / CorpId).
/// Follows developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/Before_Develop/Technical_Plan.html
/// and developer.work.weixin.qq.com/document/path/90968. Thread-safe.</summary>
public sealed class WeChatCrypto
{
    private const int PadBlock = 32;
    private readonly byte[] _key;
    private readonly byte[] _receiveId;

    /// <summary>Creates the crypto for one account.</summary>
    /// <param name="token">The callback Token.</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey.</param>
    /// <param name="receiveId">The id that must end every plaintext: AppId (公众号) or CorpId (WeCom self-built app).</param>
    /// <exception cref="ArgumentException"><paramref name="encodingAesKey"/> is not 43 Base64 characters giving 32 bytes.</exception>
    public WeChatCrypto(string token, string encodingAesKey, string receiveId)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(receiveId);
        if (encodingAesKey is null || encodingAesKey.Length != 43)
        {
            throw new ArgumentException("EncodingAESKey must be 43 characters.", nameof(encodingAesKey));
        }

        try
        {
            _key = Convert.FromBase64String(encodingAesKey + "=");
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("EncodingAESKey is not Base64.", nameof(encodingAesKey), ex);
        }

        if (_key.Length != 32)
        {
            throw new ArgumentException("EncodingAESKey must decode to 32 bytes.", nameof(encodingAesKey));
        }

        Token = token;
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
    }

    /// <summary>The callback Token.</summary>
    public string Token { get; }

    /// <summary>Computes a WeChat signature: lower-case hex SHA-1 of the ordinally sorted, concatenated parts
    /// (<c>signature</c> over token, timestamp, nonce; <c>msg_signature</c> adds the Base64 ciphertext).</summary>
    /// <param name="parts">The parts; null counts as empty.</param>
    /// <returns>40 lower-case hex characters.</returns>
    public static string ComputeSignature(params string?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var sorted = parts.Select(p => p ?? string.Empty).ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted)));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Checks a signature in constant time.</summary>
    /// <param name="signature">The signature the request carried (hex, any case).</param>
    /// <param name="parts">The signed parts (token, timestamp, nonce and, for <c>msg_signature</c>, the ciphertext).</param>
    /// <returns>True when it matches.</returns>
    public static bool VerifySignature(string? signature, params string?[] parts)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length != 40)
        {
            return false;
        }

        return SecretComparer.SignatureMatches(Encoding.ASCII.GetBytes(ComputeSignature(parts)), signature.ToLowerInvariant());
    }

    /// <summary>Checks a <c>msg_signature</c> over this account's token, <paramref name="timestamp"/>,
    /// <paramref name="nonce"/> and <paramref name="encrypted"/>.</summary>
    /// <param name="msgSignature">The <c>msg_signature</c> query value.</param>
    /// <param name="timestamp">The <c>timestamp</c> query value.</param>
    /// <param name="nonce">The <c>nonce</c> query value.</param>
    /// <param name="encrypted">The Base64 ciphertext (<c>Encrypt</c> or WeCom <c>echostr</c>).</param>
    /// <returns>True when it matches.</returns>
    public bool VerifyMessageSignature(string? msgSignature, string? timestamp, string? nonce, string? encrypted)
        => VerifySignature(msgSignature, Token, timestamp, nonce, encrypted);

    /// <summary>Decrypts a Base64 ciphertext and checks its trailing receive id.</summary>
    /// <param name="encrypted">The Base64 ciphertext.</param>
    /// <param name="message">The message (UTF-8 XML or the WeCom echostr) when the result is <see cref="WeChatDecryptStatus.Ok"/>.</param>
    /// <returns>Ok, Malformed or WrongReceiveId; never throws for bad input.</returns>
    public WeChatDecryptStatus TryDecrypt(string? encrypted, out string? message)
    {
        message = null;
        if (string.IsNullOrEmpty(encrypted))
        {
            return WeChatDecryptStatus.Malformed;
        }

        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypted);
        }
        catch (FormatException)
        {
            return WeChatDecryptStatus.Malformed;
        }

        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            return WeChatDecryptStatus.Malformed;
        }

        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            plain = aes.DecryptCbc(cipher, _key.AsSpan(0, 16), PaddingMode.None);
        }

        int pad = plain[^1];
        if (pad < 1 || pad > PadBlock || pad > plain.Length)
        {
            return WeChatDecryptStatus.Malformed;
        }

        for (var i = plain.Length - pad; i < plain.Length; i++)
        {
            if (plain[i] != pad)
            {
                return WeChatDecryptStatus.Malformed;
            }
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20)
        {
            return WeChatDecryptStatus.Malformed;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(content.Slice(16, 4));
        if (length > (uint)(content.Length - 20))
        {
            return WeChatDecryptStatus.Malformed;
        }

        var body = content.Slice(20, (int)length);
        var receiveId = content[(20 + (int)length)..];
        if (!CryptographicOperations.FixedTimeEquals(receiveId, _receiveId))
        {
            return WeChatDecryptStatus.WrongReceiveId;
        }

        try
        {
            message = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return WeChatDecryptStatus.Malformed;
        }

        return WeChatDecryptStatus.Ok;
    }

    /// <summary>Encrypts <paramref name="message"/> with 16 fresh random bytes in front.</summary>
    /// <param name="message">The message (reply XML).</param>
    /// <returns>The Base64 ciphertext.</returns>
    public string Encrypt(string message)
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Encrypt(message, random);
    }

    /// <summary>Encrypts <paramref name="message"/> with the given 16 leading bytes (deterministic; for test vectors).</summary>
    /// <param name="message">The message.</param>
    /// <param name="random16">Exactly 16 bytes placed before the length field.</param>
    /// <returns>The Base64 ciphertext.</returns>
    /// <exception cref="ArgumentException"><paramref name="random16"/> is not 16 bytes.</exception>
    public string Encrypt(string message, ReadOnlySpan<byte> random16)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (random16.Length != 16)
        {
            throw new ArgumentException("Exactly 16 random bytes are required.", nameof(random16));
        }

        var body = Encoding.UTF8.GetBytes(message);
        var contentLength = 20 + body.Length + _receiveId.Length;
        var pad = PadBlock - (contentLength % PadBlock);
        var plain = new byte[contentLength + pad];
        random16.CopyTo(plain);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16, 4), (uint)body.Length);
        body.CopyTo(plain, 20);
        _receiveId.CopyTo(plain, 20 + body.Length);
        plain.AsSpan(contentLength).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>Builds the encrypted reply envelope
    /// <c>&lt;xml&gt;&lt;Encrypt/&gt;&lt;MsgSignature/&gt;&lt;TimeStamp/&gt;&lt;Nonce/&gt;&lt;/xml&gt;</c>.</summary>
    /// <param name="replyXml">The plaintext reply XML.</param>
    /// <param name="timestamp">Unix seconds as text.</param>
    /// <param name="nonce">A nonce.</param>
    /// <returns>The envelope XML.</returns>
    public string CreateEncryptedReply(string replyXml, string timestamp, string nonce)
        => CreateEncryptedReplyFromCipher(Encrypt(replyXml), timestamp, nonce);

    /// <summary>Builds the encrypted reply envelope around an existing ciphertext (signs it).</summary>
    /// <param name="encrypted">The Base64 ciphertext.</param>
    /// <param name="timestamp">Unix seconds as text.</param>
    /// <param name="nonce">A nonce.</param>
    /// <returns>The envelope XML.</returns>
    public string CreateEncryptedReplyFromCipher(string encrypted, string timestamp, string nonce)
    {
        var signature = ComputeSignature(Token, timestamp, nonce, encrypted);
        return string.Concat(
            "<xml>\n<Encrypt><![CDATA[", encrypted, "]]></Encrypt>\n<MsgSignature><![CDATA[", signature,
            "]]></MsgSignature>\n<TimeStamp>", timestamp, "</TimeStamp>\n<Nonce><![CDATA[", nonce, "]]></Nonce>\n</xml>");
    }
}
