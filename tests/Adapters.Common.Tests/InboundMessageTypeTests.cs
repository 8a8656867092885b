namespace OpenClaw.Channels.Adapters.Tests;

public sealed class InboundMessageTypeTests
{
    private static readonly Attachment Photo = new(AttachmentKind.Image);
    private static readonly Attachment Voice = new(AttachmentKind.Audio);
    private static readonly Attachment Pdf = new(AttachmentKind.File);

    [Fact]
    public void ACommand_IsACommand_EvenWithAttachments()
        => Assert.Equal(MessageType.Command, InboundMessageType.Of(BotCommand.TryParse("/status", null), "/status", [Photo]));

    [Fact]
    public void TextWithAttachments_IsText()
        => Assert.Equal(MessageType.Text, InboundMessageType.Of(null, "look", [Photo]));

    [Fact]
    public void NoText_IsTheFirstAttachmentsKind()
    {
        Assert.Equal(MessageType.Image, InboundMessageType.Of(null, string.Empty, [Photo, Pdf]));
        Assert.Equal(MessageType.Audio, InboundMessageType.Of(null, string.Empty, [Voice]));
        Assert.Equal(MessageType.Video, InboundMessageType.Of(null, string.Empty, [new Attachment(AttachmentKind.Video)]));
        Assert.Equal(MessageType.File, InboundMessageType.Of(null, string.Empty, [Pdf, Photo]));
    }

    [Fact]
    public void NoTextAndNoAttachments_IsText()
        => Assert.Equal(MessageType.Text, InboundMessageType.Of(null, string.Empty, []));
}
