using System.Globalization;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace OpenClaw.Channels.Telegram;

/// <summary>Files of an answer (<see cref="OutboundMessage.Files"/>, e.g. a chart a tool drew) are uploaded as
/// <c>multipart/form-data</c> (core.telegram.org/bots/api#sending-files), between the text parts, in order: a JPEG, PNG or
/// WebP image of at most <see cref="MaxPhotoUploadBytes"/> with <c>sendPhoto</c>, any other file of at most
/// <see cref="MaxDocumentUploadBytes"/> with <c>sendDocument</c>; the file's alt text is the caption (at most
/// <see cref="MaxCaptionLength"/> characters). A photo Telegram refuses (400, e.g. dimensions) is sent again as a
/// document; a file above the limits, or one Telegram refuses as a document too, is replaced by its placeholder text
/// (<c>[file: report.pdf, 60 MB — too large for Telegram (limit 50 MB)]</c>).</summary>
public sealed partial class TelegramSender
{
    /// <summary>Largest photo uploaded with <c>sendPhoto</c>, in bytes: 10 MB (core.telegram.org/bots/api#sendphoto).</summary>
    public const long MaxPhotoUploadBytes = 10L * 1024 * 1024;

    /// <summary>Largest file uploaded with <c>sendDocument</c>, in bytes: 50 MB (core.telegram.org/bots/api#sending-files).</summary>
    public const long MaxDocumentUploadBytes = 50L * 1024 * 1024;

    private static readonly HashSet<string> PhotoTypes = new(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/png", "image/webp" };

    private async Task<IReadOnlyList<string>> SendFileAsync(OutboundMessage message, OutboundFile file, CancellationToken cancellationToken)
    {
        var target = message.Target;
        if (file.SizeBytes > MaxDocumentUploadBytes)
        {
            LogFileAsText(_logger, target.ChatId, "too large");
            return await SendPlaceholderAsync(message, file, "too large for Telegram (limit 50 MB)", cancellationToken).ConfigureAwait(false);
        }

        var reply = target.ChatKind != ChatKind.Direct && int.TryParse(target.ReplyToId, NumberStyles.None, CultureInfo.InvariantCulture, out var replyTo)
            ? new ReplyParameters { MessageId = replyTo, AllowSendingWithoutReply = true }
            : null;
        var caption = file.Alt is { Length: > 0 } alt ? (alt.Length > MaxCaptionLength ? alt[..MaxCaptionLength] : alt) : null;
        var bytes = file.Data.ToArray();
        var bot = _clients.Create();
        if (PhotoTypes.Contains(file.MediaType) && file.SizeBytes <= MaxPhotoUploadBytes)
        {
            try
            {
                var photo = await CallAsync(
                    "sendPhoto",
                    target.ChatId,
                    ct => bot.SendPhoto(
                        ChatIdOf(target.ChatId),
                        InputFile.FromStream(new MemoryStream(bytes, writable: false), file.Name),
                        caption,
                        replyParameters: reply,
                        messageThreadId: ThreadIdOf(target.ThreadId),
                        cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                return [photo.MessageId.ToString(CultureInfo.InvariantCulture)];
            }
            catch (TelegramApiException ex) when (!ex.IsTransient)
            {
                TelegramLog.PhotoRefused(_logger, target.ChatId, ex.ErrorCode ?? "?");
            }
        }

        try
        {
            var document = await CallAsync(
                "sendDocument",
                target.ChatId,
                ct => bot.SendDocument(
                    ChatIdOf(target.ChatId),
                    InputFile.FromStream(new MemoryStream(bytes, writable: false), file.Name),
                    caption,
                    replyParameters: reply,
                    messageThreadId: ThreadIdOf(target.ThreadId),
                    cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            return [document.MessageId.ToString(CultureInfo.InvariantCulture)];
        }
        catch (TelegramApiException ex) when (!ex.IsTransient)
        {
            LogFileAsText(_logger, target.ChatId, ex.ErrorCode ?? "refused");
            return await SendPlaceholderAsync(message, file, "Telegram refused it", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<string>> SendPlaceholderAsync(OutboundMessage message, OutboundFile file, string note, CancellationToken cancellationToken)
        => (await SendAsync(message with { Text = file.Placeholder(note), Format = TextFormat.Plain, Files = [] }, cancellationToken).ConfigureAwait(false)).PlatformMessageIds;

    [LoggerMessage(EventId = 1041, Level = LogLevel.Information, Message = "A file for chat {ChatId} was sent as its placeholder text ({Reason})")]
    private static partial void LogFileAsText(ILogger logger, string chatId, string reason);
}
