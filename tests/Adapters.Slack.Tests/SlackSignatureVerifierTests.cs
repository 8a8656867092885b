using System.Text;
using OpenClaw.Channels.Slack;

namespace OpenClaw.Channels.Tests.Slack;

public sealed class SlackSignatureVerifierTests
{
    // docs.slack.dev/authentication/verifying-requests-from-slack (PROTOCOLS.md §1.2): a form body, hashed as raw bytes.
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1531420618);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void SlackDocExample_Verifies()
    {
        Assert.Equal(Expected, Encoding.ASCII.GetString(SlackSignatureVerifier.Sign(Secret, Timestamp, Encoding.UTF8.GetBytes(Body))));
        Assert.True(SlackSignatureVerifier.IsValid(Secret, Timestamp, Expected, Encoding.UTF8.GetBytes(Body), At.AddSeconds(30), Tolerance));
    }

    [Fact]
    public void SlackDocExample_OneChangedBodyByte_Fails()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);
        bytes[10] ^= 0x01;
        Assert.False(SlackSignatureVerifier.IsValid(Secret, Timestamp, Expected, bytes, At, Tolerance));
    }

    [Fact]
    public void SlackDocExample_OneChangedSignatureDigit_Fails()
    {
        var tampered = Expected[..^1] + (Expected[^1] == '3' ? '4' : '3');
        Assert.False(SlackSignatureVerifier.IsValid(Secret, Timestamp, tampered, Encoding.UTF8.GetBytes(Body), At, Tolerance));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    public void SlackDocExample_TimestampOutsideFiveMinutes_Fails(int offsetSeconds)
    {
        Assert.False(SlackSignatureVerifier.IsValid(Secret, Timestamp, Expected, Encoding.UTF8.GetBytes(Body), At.AddSeconds(offsetSeconds), Tolerance));
    }

    [Theory]
    [InlineData(null, Expected)]
    [InlineData(Timestamp, null)]
    [InlineData("not-a-number", Expected)]
    public void MissingOrBadHeaders_Fail(string? timestamp, string? signature)
    {
        Assert.False(SlackSignatureVerifier.IsValid(Secret, timestamp, signature, Encoding.UTF8.GetBytes(Body), At, Tolerance));
    }
}
