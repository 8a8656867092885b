using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>Markdown images in an answer go out as messages carrying the image as a multipart attachment
/// (<c>files[0]</c> with <c>attachments[0].description</c> = the alt text; discord.com/developers/docs/reference#uploading-files),
/// between the text parts, in order. The hub fetches the image (no token sent) up to <see cref="MaxUploadBytes"/>; a larger
/// image, one that cannot be fetched or is not an image, or an upload Discord refuses (e.g. 413) is sent as a link
/// instead, which Discord unfurls into a preview. Interaction replies and edits keep images as links.</summary>
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
            quoteOnlyFirst: true,
            cancellationToken);

    /// <returns>The message id, or null when the image goes as a link instead.</returns>
    private async Task<string?> UploadAsync(OutboundMessage message, MarkdownImage image, CancellationToken cancellationToken)
    {
        var download = await _rest.FetchAsync(image.Url, MaxUploadBytes, cancellationToken).ConfigureAwait(false);
        if (download.Status != AttachmentDownloadStatus.Downloaded || download.MediaType is not { } mediaType
            || !mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            LogImageAsLink(download.Status.ToString());
            return null;
        }

        var target = message.Target;
        var channelId = string.IsNullOrEmpty(target.ThreadId) ? target.ChatId : target.ThreadId;
        var body = Body(string.Empty, target.ChatKind != ChatKind.Direct ? target.ReplyToId : null);
        body.Remove("content");
        var fileName = FileNameOf(image.Url, mediaType);
        var attachment = new JsonObject { ["id"] = 0, ["filename"] = fileName };
        if (image.Alt.Length > 0)
        {
            attachment["description"] = image.Alt.Length > 1024 ? image.Alt[..1024] : image.Alt;
        }

        body["attachments"] = new JsonArray { attachment };
        try
        {
            return await _rest.CreateMessageWithFileAsync(channelId, body, new DiscordUpload(fileName, mediaType, download.Data), cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (!ex.IsTransient)
        {
            LogImageAsLink(ex.ErrorCode ?? "refused");
            return null;
        }
    }

    private static string FileNameOf(Uri url, string mediaType)
    {
        var last = Uri.UnescapeDataString(url.Segments.Length > 0 ? url.Segments[^1] : string.Empty).Trim('/');
        if (last.Length > 0 && last.Contains('.', StringComparison.Ordinal) && last.IndexOfAny(['\\', '"', '\r', '\n']) < 0)
        {
            return last;
        }

        var subtype = mediaType[(mediaType.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return "image." + (subtype == "jpeg" ? "jpg" : subtype);
    }

    [LoggerMessage(EventId = 3311, Level = LogLevel.Information, Message = "Discord image sent as a link instead of an upload ({Reason})")]
    private partial void LogImageAsLink(string reason);
}
