using System.Globalization;
using OpenClaw.Channels.Adapters;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace OpenClaw.Channels.Telegram;

/// <summary>Markdown images in an answer go out as <c>sendPhoto</c> with the image URL (Telegram fetches it:
/// core.telegram.org/bots/api#sending-files, at most 5 MB for photos by URL) and the alt text as caption (at most 1024
/// characters), between the text parts, in order. When Telegram refuses the photo (400, e.g. "failed to get HTTP URL
/// content" or "wrong type of the web page content", or a photo above its limits) the image is sent as a link instead.</summary>
public sealed partial class TelegramSender
{
    /// <summary>Telegram's caption limit, in characters after entity parsing (core.telegram.org/bots/api#sendphoto).</summary>
    public const int MaxCaptionLength = 1024;

    private Task<SendResult> SendWithImagesAsync(OutboundMessage message, IReadOnlyList<OutboundSegment> segments, CancellationToken cancellationToken)
        => SegmentedSend.SendAsync(message, segments, SendAsync, SendPhotoAsync, SendFileAsync, quoteOnlyFirst: true, cancellationToken);

    /// <returns>The photo's message id, or null when the image goes as a link instead.</returns>
    private async Task<IReadOnlyList<string>?> SendPhotoAsync(OutboundMessage message, MarkdownImage image, CancellationToken cancellationToken)
    {
        var target = message.Target;
        var reply = target.ChatKind != ChatKind.Direct && int.TryParse(target.ReplyToId, NumberStyles.None, CultureInfo.InvariantCulture, out var replyTo)
            ? new ReplyParameters { MessageId = replyTo, AllowSendingWithoutReply = true }
            : null;
        var caption = image.Alt.Length > MaxCaptionLength ? image.Alt[..MaxCaptionLength] : image.Alt;
        var bot = _clients.Create();
        try
        {
            var sent = await CallAsync(
                "sendPhoto",
                target.ChatId,
                ct => bot.SendPhoto(
                    ChatIdOf(target.ChatId),
                    InputFile.FromUri(image.Url),
                    caption.Length == 0 ? null : caption,
                    replyParameters: reply,
                    messageThreadId: ThreadIdOf(target.ThreadId),
                    cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            return [sent.MessageId.ToString(CultureInfo.InvariantCulture)];
        }
        catch (TelegramApiException ex) when (!ex.IsTransient)
        {
            TelegramLog.PhotoRefused(_logger, target.ChatId, ex.ErrorCode ?? "?");
            return null;
        }
    }
}
