using Microsoft.Extensions.Options;
using OpenClaw.Channels.Telegram;

namespace OpenClaw.Channels.Tests;

public sealed class TelegramNormalizerTests
{
    private static readonly TelegramBotInfo Bot = new(123456789, "openclaw_test_bot");

    private static ChannelMessage? Normalize(string fixture, bool ignoreEdited = true)
    {
        var normalizer = new TelegramNormalizer(Options.Create(new TelegramOptions { BotToken = "123456789:x", IgnoreEditedMessages = ignoreEdited }));
        return normalizer.Normalize(TelegramPayloads.Parse(fixture), TelegramPayloads.Read(fixture), Bot);
    }

    [Fact]
    public void GroupMention_IsGroup_MentionsBot_AndStripsLeadingMention()
    {
        var m = Normalize("telegram-group-mention")!;
        Assert.Equal("telegram", m.Channel);
        Assert.Equal("123456789", m.AccountId);
        Assert.Equal("870001001", m.PlatformMessageId);
        Assert.Equal("311", m.NativeMessageId);
        Assert.Equal(new ChatRef("-1001234567890", ChatKind.Group, null, "Analytical Engine Fans"), m.Chat);
        Assert.Equal(new SenderRef("5550001", "Ada Lovelace", false), m.Sender);
        Assert.True(m.MentionsBot);
        Assert.False(m.RepliesToBot);
        Assert.Equal("what is the weather in London?", m.Text);
        Assert.Equal(MessageType.Text, m.Type);
        Assert.Null(m.Command);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1763900000), m.Timestamp);
        Assert.Contains("\"update_id\": 870001001", m.RawPayload, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupWithoutMention_DoesNotMentionBot()
    {
        var m = Normalize("telegram-group-plain")!;
        Assert.False(m.MentionsBot);
        Assert.Equal("Anyone around for lunch?", m.Text);
    }

    [Fact]
    public void PhotoWithCaption_TakesLargestSize_AndCaptionAsText()
    {
        var m = Normalize("telegram-photo-caption")!;
        Assert.Equal(ChatKind.Direct, m.Chat.Kind);
        Assert.Equal(MessageType.Image, m.Type);
        Assert.Equal("What bird is this?", m.Text);
        var a = Assert.Single(m.Attachments);
        Assert.Equal(new Attachment(AttachmentKind.Image, null, "AgACAgQAAxkBAAIBlarge", "image/jpeg", 98765), a with { SmallerVariants = [] });
        Assert.Equal(["AgACAgQAAxkBAAIBmedium", "AgACAgQAAxkBAAIBsmall"], a.SmallerVariants.Select(v => v.PlatformFileId));
        Assert.Equal([21430L, 1520L], a.SmallerVariants.Select(v => v.SizeBytes ?? 0));
    }

    [Fact]
    public void Document_IsFileAttachment_AndCaptionMentionCounts()
    {
        var m = Normalize("telegram-document")!;
        Assert.Equal(MessageType.File, m.Type);
        Assert.True(m.MentionsBot);
        Assert.Equal("summarise this please", m.Text);
        Assert.Equal(new Attachment(AttachmentKind.File, null, "BQACAgQAAxkBAAIBdoc", "application/pdf", 482133, "notes-on-the-engine.pdf"), Assert.Single(m.Attachments));
    }

    [Fact]
    public void Voice_IsAudioAttachment()
    {
        var m = Normalize("telegram-voice")!;
        Assert.Equal(MessageType.Audio, m.Type);
        Assert.Equal(string.Empty, m.Text);
        Assert.Equal(new Attachment(AttachmentKind.Audio, null, "AwACAgQAAxkBAAIBvoice", "audio/ogg", 11290), Assert.Single(m.Attachments));
    }

    [Fact]
    public void Video_IsVideoAttachment_WithName()
    {
        var m = Normalize("telegram-video")!;
        Assert.Equal(MessageType.Video, m.Type);
        Assert.Equal("look at this", m.Text);
        Assert.Equal(new Attachment(AttachmentKind.Video, null, "BAACAgQAAxkBAAIBvideo", "video/mp4", 5242880, "loom.mp4"), Assert.Single(m.Attachments));
    }

    [Fact]
    public void ForumTopicMessage_HasThreadId_AndCaseInsensitiveMention()
    {
        var m = Normalize("telegram-forum-topic")!;
        Assert.Equal("42", m.Chat.ThreadId);
        Assert.Equal(ChatKind.Group, m.Chat.Kind);
        Assert.True(m.MentionsBot);
        Assert.False(m.RepliesToBot); // replies to the topic's creation message, not to the bot
        Assert.Equal("42", m.ReplyToId);
        Assert.Equal("Which gear ratio should I use? @OpenClaw_Test_Bot", m.Text); // only a leading mention is stripped
        Assert.Equal("agent:main:telegram:group:-1009876543210:thread:42", SessionKey.For(m).Value);
    }

    [Fact]
    public void CommandWithBotName_IsCommand_AndMentionsBot()
    {
        var m = Normalize("telegram-command-botname")!;
        Assert.Equal(MessageType.Command, m.Type);
        Assert.Equal(new BotCommand("status", "verbose"), m.Command);
        Assert.True(m.MentionsBot);
    }

    [Fact]
    public void CommandForOtherBot_IsNotACommand()
    {
        var m = Normalize("telegram-command-otherbot")!;
        Assert.Null(m.Command);
        Assert.Equal(MessageType.Text, m.Type);
        Assert.False(m.MentionsBot);
    }

    [Fact]
    public void ChannelPost_IsChannel_SenderIsTheChannel()
    {
        var m = Normalize("telegram-channel-post")!;
        Assert.Equal(ChatKind.Channel, m.Chat.Kind);
        Assert.Equal(new SenderRef("-1001112223334", "Engine News", false), m.Sender);
        Assert.Equal("New release of the difference engine manual is out.", m.Text);
    }

    [Fact]
    public void EditedMessage_IsIgnoredByDefault_AndNormalizedWhenEnabled()
    {
        Assert.Null(Normalize("telegram-edited-message"));
        var m = Normalize("telegram-edited-message", ignoreEdited: false)!;
        Assert.Equal("What bird is this? (edited)", m.Text);
        Assert.Equal("870001011", m.PlatformMessageId);
    }

    [Fact]
    public void PollUpdate_IsNotAMessage()
    {
        Assert.Null(Normalize("telegram-poll"));
    }

    [Fact]
    public void ReplyToBot_SetsRepliesToBot()
    {
        var m = Normalize("telegram-reply-to-bot")!;
        Assert.True(m.RepliesToBot);
        Assert.False(m.MentionsBot);
        Assert.Equal("1000", m.ReplyToId);
    }

    [Fact]
    public void Policy_IgnoresGroupWithoutMention_AnswersMentionReplyAndCommand()
    {
        var policy = new ChannelPolicy { RequireMention = true };
        Assert.Equal("not-mentioned", policy.Evaluate(Normalize("telegram-group-plain")!));
        Assert.Equal("not-mentioned", policy.Evaluate(Normalize("telegram-command-otherbot")!));
        Assert.Null(policy.Evaluate(Normalize("telegram-group-mention")!));
        Assert.Null(policy.Evaluate(Normalize("telegram-reply-to-bot")!));
        Assert.Null(policy.Evaluate(Normalize("telegram-command-botname")!));
    }
}
