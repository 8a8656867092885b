namespace OpenClaw.Channels.Tests;

public class ChannelPolicyTests
{
    private static ChannelMessage Message(ChatKind kind, bool mention = false, bool reply = false, string sender = "1", bool bot = false, BotCommand? command = null) => new()
    {
        Channel = "telegram",
        AccountId = "b",
        PlatformMessageId = "1",
        Chat = new ChatRef("c", kind),
        Sender = new SenderRef(sender, "n", bot),
        MentionsBot = mention,
        RepliesToBot = reply,
        Command = command,
    };

    [Fact]
    public void Groups_RequireMentionReplyOrCommand()
    {
        var policy = new ChannelPolicy();
        Assert.Equal("not-mentioned", policy.Evaluate(Message(ChatKind.Group)));
        Assert.Null(policy.Evaluate(Message(ChatKind.Group, mention: true)));
        Assert.Null(policy.Evaluate(Message(ChatKind.Group, reply: true)));
        Assert.Null(policy.Evaluate(Message(ChatKind.Group, command: new BotCommand("status", ""))));
        Assert.Null(policy.Evaluate(Message(ChatKind.Direct)));
        Assert.Null(new ChannelPolicy { RequireMention = false }.Evaluate(Message(ChatKind.Group)));
    }

    [Fact]
    public void AllowFrom_AndBots()
    {
        var policy = new ChannelPolicy { AllowFrom = ["42"] };
        Assert.Equal("not-allowed", policy.Evaluate(Message(ChatKind.Direct, sender: "7")));
        Assert.Null(policy.Evaluate(Message(ChatKind.Direct, sender: "42")));
        Assert.Equal("bot", new ChannelPolicy().Evaluate(Message(ChatKind.Direct, bot: true)));
        Assert.Null(new ChannelPolicy { AllowBots = true }.Evaluate(Message(ChatKind.Direct, bot: true)));
    }
}
