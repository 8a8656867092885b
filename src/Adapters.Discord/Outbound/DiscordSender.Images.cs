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
            async (part, image, ct) => await UploadAsync(part, image, ct).ConfigureAwait(false) is { } id ? [id] : null,
            SendFileAsync,
            quoteOnlyFirst: true,
            cancellationToken);

    /// <returns>The message id, or null when the image goes as a link instead.</returns>
    private async Task<string?> UploadAsync(OutboundMessage message, MarkdownImage image, CancellationToken cancellationToken)
    {
        var download = await _rest.FetchAsync(image.Url, MaxUploadBytes, cancellationToken).ConfigureAwait(false);
        if (ImageUpload.MediaTypeOf(download) is not { } mediaType)
        {
            LogImageAsLink(download.Status.ToString());
            return null;
        }

        return await UploadBytesAsync(message.Target, new DiscordUpload(ImageUpload.FileNameOf(image.Url, mediaType), mediaType, download.Data), image.Alt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A file of the answer: uploaded up to <see cref="MaxUploadBytes"/>; a larger one, or one Discord refuses, is
    /// posted as its placeholder text.</summary>
    private async Task<IReadOnlyList<string>> SendFileAsync(OutboundMessage message, OutboundFile file, CancellationToken cancellationToken)
    {
        if (file.SizeBytes <= MaxUploadBytes
            && await UploadBytesAsync(message.Target, new DiscordUpload(file.Name, file.MediaType, file.Data), file.Alt ?? string.Empty, cancellationToken).ConfigureAwait(false) is { } id)
        {
            return [id];
        }

        var note = file.SizeBytes > MaxUploadBytes ? "too large for Discord (limit 10 MB)" : "Discord refused it";
        LogFileAsText(note);
        return (await SendAsync(message with { Text = file.Placeholder(note), Format = TextFormat.Plain }, cancellationToken).ConfigureAwait(false)).PlatformMessageIds;
    }

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
