using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Tests;

public sealed class WeChatXmlTests
{
    [Fact]
    public void Doctype_WithExternalEntity_IsRejectedUnresolved()
    {
        var secretFile = Path.Combine(Path.GetTempPath(), $"wechat-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secretFile, "XXE-MARKER");
        try
        {
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE xml [ <!ENTITY xxe SYSTEM \"file://{secretFile}\"> ]><xml><Content>&xxe;</Content></xml>";

            Assert.Null(WeChatXml.TryParse(xml));
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public void InternalEntityExpansion_IsRejected()
    {
        const string xml = "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><Content>&b;</Content></xml>";

        Assert.Null(WeChatXml.TryParse(xml));
    }

    [Fact]
    public void FlatDocument_GivesFields_WithCdataAndNested()
    {
        var fields = WeChatXml.TryParse("<xml><A><![CDATA[x]]>y</A><B>2</B><C><D>ignored-child</D></C><A>second</A></xml>");

        Assert.NotNull(fields);
        Assert.Equal("xy", fields["A"]);
        Assert.Equal("2", fields["B"]);
        Assert.False(fields.ContainsKey("D"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<xml><A>1</A>")]
    [InlineData("<xml/><extra/>")]
    public void Malformed_GivesNull(string xml)
    {
        Assert.Null(WeChatXml.TryParse(xml));
    }

    [Fact]
    public void TextReply_EscapesCdataTerminator_AndRoundTrips()
    {
        var reply = WeChatXml.BuildTextReply("openid", "gh_x", DateTimeOffset.FromUnixTimeSeconds(1700000000), "a ]]> b\u0001 🌏");
        var fields = WeChatXml.TryParse(reply)!;

        Assert.Equal("openid", fields["ToUserName"]);
        Assert.Equal("gh_x", fields["FromUserName"]);
        Assert.Equal("1700000000", fields["CreateTime"]);
        Assert.Equal("text", fields["MsgType"]);
        Assert.Equal("a ]]> b 🌏", fields["Content"]);
    }
}
