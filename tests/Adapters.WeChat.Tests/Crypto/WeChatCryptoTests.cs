using System.Text;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

/// <summary>Vectors from wechatpy/wechatpy tests/test_crypto.py (WeCom sample; PROTOCOLS.md §3.5).</summary>
public sealed class WeChatCryptoTests
{
    private const string Token = "123456";
    private const string AesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    private const string CorpId = "wx49f0ab532d5d035a";

    private const string DecryptCipher =
        "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";

    private readonly WeChatCrypto _crypto = new(Token, AesKey, CorpId);

    [Fact]
    public void SampleMsgSignature_Verifies_AndWrongNonceDoesNot()
    {
        Assert.Equal("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", WeChatCrypto.ComputeSignature(Token, "1411525903", "461056294", DecryptCipher));
        Assert.True(_crypto.VerifyMessageSignature("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056294", DecryptCipher));
        Assert.False(_crypto.VerifyMessageSignature("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056295", DecryptCipher));
    }

    [Fact]
    public void SampleCiphertext_DecryptsToTheSampleMessage()
    {
        var status = _crypto.TryDecrypt(DecryptCipher, out var xml);

        Assert.Equal(WeChatDecryptStatus.Ok, status);
        Assert.Contains("<Content><![CDATA[test]]></Content>", xml, StringComparison.Ordinal);
        Assert.Contains("<FromUserName><![CDATA[messense]]></FromUserName>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleReply_EncryptsExactlyToTheSampleEnvelope()
    {
        const string reply = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
        const string expected = "<xml>\n<Encrypt><![CDATA[9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3]]></Encrypt>\n<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>";

        var cipher = _crypto.Encrypt(reply, Encoding.ASCII.GetBytes("1234567890123456"));

        Assert.Equal(expected, _crypto.CreateEncryptedReplyFromCipher(cipher, "1411525903", "461056294"));
    }

    [Fact]
    public void SampleEchoStr_SignatureChecksOut_AndDecrypts()
    {
        const string echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";

        Assert.True(_crypto.VerifyMessageSignature("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", "1411443780", "437374425", echo));
        Assert.False(_crypto.VerifyMessageSignature("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", "1411443780", "437374424", echo));
        Assert.Equal(WeChatDecryptStatus.Ok, _crypto.TryDecrypt(echo, out var plain));
        Assert.False(string.IsNullOrEmpty(plain));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<xml><Content><![CDATA[你好，世界 🌏]]></Content></xml>")]
    [InlineData("exactly-padded-message-1234")] // 20 + 27 + 18 = 65 bytes → pad 31
    [InlineData("exactly-padded-message-12345678901234567890123456789012345678")] // 20 + 62 + 18 = 100 → pad 28
    public void RandomizedEncryption_RoundTrips(string message)
    {
        var first = _crypto.Encrypt(message);
        var second = _crypto.Encrypt(message);

        Assert.NotEqual(first, second);
        Assert.Equal(WeChatDecryptStatus.Ok, _crypto.TryDecrypt(first, out var back));
        Assert.Equal(message, back);
    }

    [Fact]
    public void FullBlockOfPadding_RoundTrips()
    {
        // 20 + 26 + 18 = 64 bytes of content: PKCS#7 over 32-byte blocks adds a whole block of 32.
        var message = new string('a', 26);
        var cipher = _crypto.Encrypt(message);

        Assert.Equal(96, Convert.FromBase64String(cipher).Length);
        Assert.Equal(WeChatDecryptStatus.Ok, _crypto.TryDecrypt(cipher, out var back));
        Assert.Equal(message, back);
    }

    [Fact]
    public void OtherReceiveId_IsRejected()
    {
        var other = new WeChatCrypto(Token, AesKey, "wx_someone_else");

        Assert.Equal(WeChatDecryptStatus.WrongReceiveId, other.TryDecrypt(DecryptCipher, out var xml));
        Assert.Null(xml);
    }

    [Fact]
    public void TamperedCiphertext_IsRejected()
    {
        var bytes = Convert.FromBase64String(DecryptCipher);
        bytes[^1] ^= 0x5A; // breaks the padding of the last block
        var tampered = Convert.ToBase64String(bytes);

        Assert.NotEqual(WeChatDecryptStatus.Ok, _crypto.TryDecrypt(tampered, out _));
        Assert.False(_crypto.VerifyMessageSignature("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056294", tampered));
        Assert.Equal(WeChatDecryptStatus.Malformed, _crypto.TryDecrypt("not base64!!", out _));
        Assert.Equal(WeChatDecryptStatus.Malformed, _crypto.TryDecrypt(Convert.ToBase64String(new byte[15]), out _));
    }

    [Fact]
    public void PlainSignature_IsSha1OfSortedParts()
    {
        // sha1("1411443780" + "437374425" + "test-token") computed independently with sha1sum.
        const string expected = "064ce9df9972f562cca8a4a750b53df7c214da7e";

        Assert.Equal(expected, WeChatCrypto.ComputeSignature("test-token", "1411443780", "437374425"));
        Assert.True(WeChatCrypto.VerifySignature(expected.ToUpperInvariant(), "437374425", "test-token", "1411443780"));
        Assert.False(WeChatCrypto.VerifySignature(expected, "test-token", "1411443780", "437374426"));
    }

    [Fact]
    public void BadEncodingAesKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new WeChatCrypto(Token, "short", CorpId));
    }
}
