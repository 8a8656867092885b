using System.Security.Cryptography;
using System.Text;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class SecretComparerTests
{
    [Theory]
    [InlineData("s3cr3t-token", "s3cr3t-token", true)]
    [InlineData("s3cr3t-token", "s3cr3t-tokeN", false)]
    [InlineData("s3cr3t", "s3cr3t-token", false)]
    [InlineData("", "s3cr3t-token", false)]
    [InlineData("ключ", "ключ", true)]
    public void Matches_ComparesTheWholeSecret(string presented, string expected, bool match)
    {
        Assert.Equal(match, SecretComparer.Matches(presented, expected));
    }

    [Fact]
    public void MatchesDigest_ComparesWithTheSha256OfTheSecret()
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("open sesame"));

        Assert.True(SecretComparer.MatchesDigest("open sesame", digest));
        Assert.False(SecretComparer.MatchesDigest("open sesame!", digest));
        Assert.False(SecretComparer.MatchesDigest("open sesame", digest.AsSpan(0, 16)));
    }

    [Fact]
    public void SignatureMatches_ComparesAsciiBytes()
    {
        var expected = Encoding.ASCII.GetBytes("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");

        Assert.True(SecretComparer.SignatureMatches(expected, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"));
        Assert.False(SecretComparer.SignatureMatches(expected, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504"));
        Assert.False(SecretComparer.SignatureMatches(expected, "v0="));
    }
}
