namespace OpenClaw.Channels.Tests;

public class SessionKeyTests
{
    private static ChannelMessage Message(ChatKind kind, string chatId, string? thread = null) => new()
    {
        Channel = "slack",
        AccountId = "T1",
        PlatformMessageId = "1",
        Chat = new ChatRef(chatId, kind, thread),
        Sender = new SenderRef("U1", "u"),
    };

    [Fact]
    public void FollowsOpenClawConvention()
    {
        Assert.Equal("agent:main:slack:direct:D1", SessionKey.For(Message(ChatKind.Direct, "D1")).Value);
        Assert.Equal("agent:main:slack:group:C024BE91L:thread:1712345678.000100", SessionKey.For(Message(ChatKind.Group, "C024BE91L", "1712345678.000100")).Value);
        Assert.Equal("agent:ops:slack:channel:C9", SessionKey.For(Message(ChatKind.Channel, "C9"), "ops").Value);
    }

    [Fact]
    public void DirectChats_CollapseToMain_WhenConfigured()
    {
        Assert.Equal("agent:main:main", SessionKey.For(Message(ChatKind.Direct, "D1"), directScope: DirectSessionScope.Main).Value);
        Assert.Equal("agent:main:slack:group:C1", SessionKey.For(Message(ChatKind.Group, "C1"), directScope: DirectSessionScope.Main).Value);
    }
}
