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
        var chat = ChatIdOf(target.ChatId);
        var thread = ThreadIdOf(target.ThreadId);
        if (PhotoTypes.Contains(file.MediaType) && file.SizeBytes <= MaxPhotoUploadBytes)
        {
            try
            {
                return await UploadAsync("sendPhoto", (input, ct) => bot.SendPhoto(chat, input, caption, replyParameters: reply, messageThreadId: thread, cancellationToken: ct)).ConfigureAwait(false);
            }
            catch (TelegramApiException ex) when (!ex.IsTransient)
            {
                TelegramLog.PhotoRefused(_logger, target.ChatId, ex.ErrorCode ?? "?");
            }
        }

        try
        {
            return await UploadAsync("sendDocument", (input, ct) => bot.SendDocument(chat, input, caption, replyParameters: reply, messageThreadId: thread, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (!ex.IsTransient)
        {
            LogFileAsText(_logger, target.ChatId, ex.ErrorCode ?? "refused");
            return await SendPlaceholderAsync(message, file, "Telegram refused it", cancellationToken).ConfigureAwait(false);
        }

        // One upload: the file's bytes as a fresh stream per attempt (a retry re-reads them), through the retry pipeline.
        async Task<IReadOnlyList<string>> UploadAsync(string method, Func<InputFile, CancellationToken, Task<Message>> send)
        {
            var sent = await CallAsync(method, target.ChatId, ct => send(InputFile.FromStream(new MemoryStream(bytes, writable: false), file.Name), ct), cancellationToken).ConfigureAwait(false);
            return [sent.MessageId.ToString(CultureInfo.InvariantCulture)];
        }
    }

    private async Task<IReadOnlyList<string>> SendPlaceholderAsync(OutboundMessage message, OutboundFile file, string note, CancellationToken cancellationToken)
        => (await SendAsync(message with { Text = file.Placeholder(note), Format = TextFormat.Plain, Files = [] }, cancellationToken).ConfigureAwait(false)).PlatformMessageIds;

    [LoggerMessage(EventId = 1041, Level = LogLevel.Information, Message = "A file for chat {ChatId} was sent as its placeholder text ({Reason})")]
    private static partial void LogFileAsText(ILogger logger, string chatId, string reason);
}
