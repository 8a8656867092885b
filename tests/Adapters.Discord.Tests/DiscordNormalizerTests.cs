using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Discord;

namespace OpenClaw.Channels.Tests;

public sealed class DiscordNormalizerTests
{
    private const string Self = "1100000000000000001";
    private readonly DiscordNormalizer _normalizer = new(Options.Create(new DiscordOptions()));
    private readonly ChannelPolicy _policy = new DiscordAdapter(Options.Create(new DiscordOptions()), null!).Policy;

    private ChannelMessage? Normalize(string fixture)
    {
        using var doc = JsonDocument.Parse(Payload.Text(fixture));
        return _normalizer.NormalizeMessageCreate(doc.RootElement, Self, Self);
    }

    [Fact]
    public void GuildMention_IsGroupMentioningBot_WithMentionStripped_AndNickAsName()
    {
        var message = Normalize("message-create-guild-mention.json")!;

        Assert.Equal(ChatKind.Group, message.Chat.Kind);
        Assert.True(message.MentionsBot);
        Assert.Equal("summarize this channel", message.Text);
        Assert.Equal("Bob the Builder", message.Sender.DisplayName);
        Assert.Null(message.Chat.ThreadId);
        Assert.Null(_policy.Evaluate(message));
    }

    [Fact]
    public void GuildReplyToBot_SetsRepliesToBot_AndReplyToId()
    {
        var message = Normalize("message-create-guild-reply.json")!;

        Assert.True(message.RepliesToBot);
        Assert.Equal("1310000000000000299", message.ReplyToId);
        Assert.Equal("and tomorrow?", message.Text);
        Assert.Null(_policy.Evaluate(message));
    }

    [Fact]
    public void GuildMessageWithoutMention_IsIgnoredByPolicy()
    {
        var message = Normalize("message-create-guild-plain.json")!;

        Assert.False(message.MentionsBot);
        Assert.False(message.RepliesToBot);
        Assert.Equal("not-mentioned", _policy.Evaluate(message));
    }

    [Fact]
    public void ThreadMessage_HasThreadIdEqualToChannel_AndNicknameMentionStripped()
    {
        var message = Normalize("message-create-thread.json")!;

        Assert.Equal("1200000000000000030", message.Chat.Id);
        Assert.Equal("1200000000000000030", message.Chat.ThreadId);
        Assert.True(message.MentionsBot);
        Assert.Equal("can you review the plan?", message.Text);
    }

    [Fact]
    public void Attachment_IsAnImageWithUrlMimeSizeAndName()
    {
        var message = Normalize("message-create-attachment.json")!;

        Assert.Equal(MessageType.Image, message.Type);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal(AttachmentKind.Image, attachment.Kind);
        Assert.StartsWith("https://cdn.discordapp.com/attachments/", attachment.Url, StringComparison.Ordinal);
        Assert.Equal("image/png", attachment.MimeType);
        Assert.Equal(48213, attachment.SizeBytes);
        Assert.Equal("whiteboard.png", attachment.Name);
    }

    [Fact]
    public void MessageFromAnotherBot_IsDropped_UnlessAllowBots()
    {
        Assert.Null(Normalize("message-create-from-bot.json"));

        var allowing = new DiscordNormalizer(Options.Create(new DiscordOptions { AllowBots = true }));
        using var doc = JsonDocument.Parse(Payload.Text("message-create-from-bot.json"));
        var message = allowing.NormalizeMessageCreate(doc.RootElement, Self, Self);
        Assert.NotNull(message);
        Assert.True(message.Sender.IsBot);
    }

    [Fact]
    public void OwnMessage_IsDropped()
    {
        using var doc = JsonDocument.Parse(Payload.Text("message-create-dm.json").Replace("1000000000000000042", Self, StringComparison.Ordinal));

        Assert.Null(_normalizer.NormalizeMessageCreate(doc.RootElement, Self, Self));
    }

    [Fact]
    public void DmStartingWithSlash_IsACommand()
    {
        using var doc = JsonDocument.Parse(Payload.Text("message-create-dm.json").Replace("hello bot, what's the weather?", "/reset now", StringComparison.Ordinal));

        var message = _normalizer.NormalizeMessageCreate(doc.RootElement, Self, Self)!;

        Assert.Equal(MessageType.Command, message.Type);
        Assert.Equal(new BotCommand("reset", "now"), message.Command);
    }

    [Fact]
    public void OtherSlashCommand_BecomesCommandMessage()
    {
        using var doc = JsonDocument.Parse(Payload.Text("interaction-ask-command.json")
            .Replace("\"name\": \"ask\"", "\"name\": \"reset\"", StringComparison.Ordinal)
            .Replace("\"name\": \"prompt\"", "\"name\": \"scope\"", StringComparison.Ordinal));

        var message = _normalizer.NormalizeInteraction(doc.RootElement)!;

        Assert.Equal(MessageType.Command, message.Type);
        Assert.Equal("reset", message.Command!.Name);
        Assert.Equal("What is the capital of Australia?", message.Command.Args);
    }
}
