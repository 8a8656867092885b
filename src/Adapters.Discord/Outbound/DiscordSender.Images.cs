using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>Markdown images in an answer go out as messages carrying the image as a multipart attachment
/// (<c>files[0]</c> with <c>attachments[0].description</c> = the alt text; discord.com/developers/docs/reference#uploading-files),
/// between the text parts, in order. The hub fetches the image (no token sent) up to <see cref="MaxUploadBytes"/>; a larger
/// image, one that cannot be fetched or is not an image, or an upload Discord refuses (e.g. 413) is sent as a link
/// instead, which Discord unfurls into a preview. Interaction replies and edits keep images as links. Files of the answer
/// (<see cref="OutboundMessage.Files"/>) are uploaded the same way from their bytes, up to <see cref="MaxUploadBytes"/>; a
/// larger one, or one Discord refuses, is posted as its placeholder text; interaction replies carry the placeholders.</summary>
public sealed partial class DiscordSender
{
    /// <summary>Largest image uploaded, in bytes: Discord's default upload limit for bots, 10 MiB
    /// (discord.com/developers/docs/reference#uploading-files).</summary>
    public const long MaxUploadBytes = 10L * 1024 * 1024;

    private Task<SendResult> SendWithImagesAsync(OutboundMessage message, IReadOnlyList<OutboundSegment> segments, CancellationToken cancellationToken)
        => SegmentedSend.SendAsync(
            message,
            segments,
            SendAsync,
            (part, image, ct) => NativeUpload.SendImageAsync(part, image, MaxUploadBytes, _rest.FetchAsync, UploadAsync, LogImageAsLink, ct),
            (part, file, ct) => NativeUpload.SendFileAsync(part, file, MaxUploadBytes, UploadAsync, SendAsync, "too large for Discord (limit 10 MB)", "Discord refused it", LogFileAsText, ct),
            quoteOnlyFirst: true,
            cancellationToken);

    /// <returns>The message id, or null when Discord refused the upload.</returns>
    private async Task<IReadOnlyList<string>?> UploadAsync(OutboundMessage message, FileUpload upload, CancellationToken cancellationToken)
        => await UploadBytesAsync(message.Target, new DiscordUpload(upload.FileName, upload.MediaType, upload.Data), upload.Alt, cancellationToken).ConfigureAwait(false) is { } id ? [id] : null;

    /// <returns>The message id, or null when Discord refused the upload.</returns>
    private async Task<string?> UploadBytesAsync(DeliveryTarget target, DiscordUpload upload, string alt, CancellationToken cancellationToken)
    {
        var channelId = string.IsNullOrEmpty(target.ThreadId) ? target.ChatId : target.ThreadId;
        var body = Body(string.Empty, target.ChatKind != ChatKind.Direct ? target.ReplyToId : null);
        body.Remove("content");
        var attachment = new JsonObject { ["id"] = 0, ["filename"] = upload.FileName };
        if (alt.Length > 0)
        {
            attachment["description"] = alt.Length > 1024 ? alt[..1024] : alt;
        }

        body["attachments"] = new JsonArray { attachment };
        try
        {
            return await _rest.CreateMessageWithFileAsync(channelId, body, upload, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (!ex.IsTransient)
        {
            LogImageAsLink(ex.ErrorCode ?? "refused");
            return null;
        }
    }

    [LoggerMessage(EventId = 3311, Level = LogLevel.Information, Message = "Discord image sent as a link instead of an upload ({Reason})")]
    private partial void LogImageAsLink(string reason);

    [LoggerMessage(EventId = 3312, Level = LogLevel.Information, Message = "Discord file sent as its placeholder text instead of an upload ({Reason})")]
    private partial void LogFileAsText(string reason);
}
