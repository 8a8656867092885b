using System.Text.Json.Nodes;
using OpenClaw.Channels.Adapters;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.WeChat;

/// <summary>Images in an answer (Markdown <c>![alt](https://…)</c> and image attachments with a URL) go as native image
/// messages between the text parts, in order: the hub fetches the image (at most <see cref="MaxImageBytes"/>, no token
/// sent), uploads it as temporary media (<c>POST /cgi-bin/media/upload?type=image</c>, multipart part <c>media</c>), then
/// sends an image message with the <c>media_id</c> (customer service <c>msgtype: image</c>, W-KF; WeCom
/// <c>message/send</c>, developer.work.weixin.qq.com/document/path/90236) or, when it is the whole answer, the passive
/// reply <c>&lt;MsgType&gt;image&lt;/MsgType&gt;&lt;Image&gt;&lt;MediaId&gt;</c>. Every image counts as one message of
/// <c>MaxMessagesPerAnswer</c>; when the budget runs out, the rest goes as text in the last message (images as links). An
/// image that is too large, not a supported format, cannot be fetched or is refused by the platform is sent as a link
/// (<c>alt: url</c>). Files of the answer (<see cref="OutboundMessage.Files"/>, e.g. a chart a tool returned) go the
/// same way from their bytes when they are an image the platform takes within <see cref="MaxImageBytes"/>; any other
/// file is written as its placeholder (<c>[file: report.pdf, 2 MB — …]</c>).</summary>
internal sealed partial class WeChatSender
{
    /// <summary>Largest image uploaded, in bytes: 10 MB, the limit of both platforms for temporary image media (Official
    /// Account developers.weixin.qq.com/doc/offiaccount/Asset_Management/New_temporary_materials.html: PNG, JPEG, JPG,
    /// GIF; WeCom developer.work.weixin.qq.com/document/path/96483: JPG, PNG, more than 5 bytes).</summary>
    public const long MaxImageBytes = 10L * 1024 * 1024;

    /// <summary>Smallest file the platforms accept, in bytes (WeCom: "所有文件size必须大于5个字节").</summary>
    private const int MinImageBytes = 6;

    private static bool HasImages(OutboundMessage message)
        => AnswerSegments.HasMedia(message) || message.Attachments.Any(IsImageAttachment);

    private static bool IsImageAttachment(Attachment a)
        => a.Kind == AttachmentKind.Image && Uri.TryCreate(a.Url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp);

    private async Task<List<WeChatPart>> BuildPartsWithImagesAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        // Every text segment as Markdown: the answer's own text, and plain pieces escaped.
        var segments = AnswerSegments.Split(message).Select(s => s.Text is { } text ? s with { Text = MarkdownOf(message, text) } : s).ToList();
        var links = new List<string>();
        foreach (var attachment in message.Attachments)
        {
            if (IsImageAttachment(attachment))
            {
                segments.Add(new OutboundSegment(null, new MarkdownImage(attachment.Name ?? string.Empty, new Uri(attachment.Url!))));
            }
            else if (!string.IsNullOrEmpty(attachment.Url))
            {
                links.Add(ChannelMarkdown.EscapePlain(LinkOf(attachment)));
            }
        }

        if (links.Count > 0)
        {
            segments.Add(new OutboundSegment(string.Join('\n', links), null));
        }

        var budget = _profile.MaxMessagesPerAnswer;
        var parts = new List<WeChatPart>();
        for (var i = 0; i < segments.Count; i++)
        {
            var remaining = budget - parts.Count;
            var last = i == segments.Count - 1;
            if (remaining == 1 && !last)
            {
                // One message left for several pieces: the rest as text (images as links), shortened if need be.
                parts.AddRange(SplitText(message, RestAsMarkdown(segments, i), 1).Select(WeChatPart.OfText));
                break;
            }

            var segment = segments[i];
            if (segment.File is { } file)
            {
                var fileMediaId = await UploadFileAsync(file, cancellationToken).ConfigureAwait(false);
                parts.Add(fileMediaId is null ? WeChatPart.OfText(FileText(file)) : WeChatPart.OfImage(fileMediaId));
                continue;
            }

            if (segment.Image is { } image)
            {
                var mediaId = await UploadImageAsync(image, cancellationToken).ConfigureAwait(false);
                parts.Add(mediaId is null ? WeChatPart.OfText(LinkOf(image)) : WeChatPart.OfImage(mediaId));
                continue;
            }

            var split = Split(segment.Text!, remaining);
            if (split.Shortened || (!last && split.Chunks.Count >= remaining))
            {
                parts.AddRange(SplitText(message, RestAsMarkdown(segments, i), remaining).Select(WeChatPart.OfText));
                break;
            }

            parts.AddRange(split.Chunks.Select(c => WeChatPart.OfText(c.Text)));
        }

        return parts;
    }

    /// <summary>Fetches and uploads one image.</summary>
    /// <returns>The <c>media_id</c>, or null when the image goes as a link.</returns>
    private async Task<string?> UploadImageAsync(MarkdownImage image, CancellationToken cancellationToken)
    {
        var http = _httpClientFactory.CreateClient(PublicNetworkGuard.HttpClientName(_profile.Channel));
        var download = await BoundedDownload.ReadAsync(http, new HttpRequestMessage(HttpMethod.Get, image.Url), MaxImageBytes, null, cancellationToken).ConfigureAwait(false);
        if (download.Status != AttachmentDownloadStatus.Downloaded || download.Data.Length < MinImageBytes
            || FormatOf(download.MediaType) is not { } format)
        {
            WeChatLog.ImageAsLink(_logger, _profile.Channel, download.Status.ToString(), download.MediaType ?? "?");
            return null;
        }

        return await UploadMediaAsync("image." + format.Extension, download.Data, format.MediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads one file of the answer when it is an image the platform takes.</summary>
    /// <returns>The <c>media_id</c>, or null when the file goes as its placeholder text.</returns>
    private async Task<string?> UploadFileAsync(OutboundFile file, CancellationToken cancellationToken)
    {
        if (file.SizeBytes > MaxImageBytes || file.SizeBytes < MinImageBytes || FormatOf(file.MediaType) is not { } format)
        {
            WeChatLog.ImageAsLink(_logger, _profile.Channel, file.SizeBytes > MaxImageBytes ? "file too large" : "not an image the platform takes", file.MediaType);
            return null;
        }

        var stem = Path.GetFileNameWithoutExtension(file.Name) is { Length: > 0 } name ? name : "image";
        return await UploadMediaAsync(stem + "." + format.Extension, file.Data, format.MediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads image bytes as temporary media (<c>media/upload?type=image</c>).</summary>
    /// <returns>The <c>media_id</c>, or null when the platform refused the upload (logged; the image goes as text).</returns>
    private async Task<string?> UploadMediaAsync(string fileName, ReadOnlyMemory<byte> data, string mediaType, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync((api, token, ct) => api.UploadMediaAsync(token, "image", fileName, data, mediaType, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (WeChatApiException ex)
        {
            WeChatLog.ImageAsLink(_logger, _profile.Channel, "upload refused: " + ex.ErrorCode, mediaType);
            return null;
        }
    }

    private string FileText(OutboundFile file)
        => file.Placeholder(file.SizeBytes > MaxImageBytes ? "too large to send (limit 10 MB)" : FormatOf(file.MediaType) is null ? "not sent on " + _profile.Channel : _profile.Channel + " refused it");

    /// <summary>The formats the platform takes as image media (WeCom: JPG and PNG; Official Account also GIF).</summary>
    private (string MediaType, string Extension)? FormatOf(string? mediaType)
    {
        var type = mediaType?.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            "image/jpeg" or "image/jpg" => ("image/jpeg", "jpg"),
            "image/png" => ("image/png", "png"),
            "image/gif" when !_profile.IsWeCom => ("image/gif", "gif"),
            _ => null,
        };
    }

    private static string LinkOf(MarkdownImage image)
        => image.Alt.Length > 0 ? string.Concat(image.Alt, ": ", image.Url.ToString()) : image.Url.ToString();

    /// <summary>The segments from <paramref name="from"/> on as one Markdown text, for the last message of the budget:
    /// files as their placeholders, images as their links (both escaped), text as it is.</summary>
    private static string RestAsMarkdown(List<OutboundSegment> segments, int from)
        => string.Join("\n\n", segments.Skip(from).Select(s => s.File is { } file ? ChannelMarkdown.EscapePlain(file.Placeholder())
            : s.Image is { } image ? ChannelMarkdown.EscapePlain(LinkOf(image)) : s.Text!));

    private JsonObject BuildImageBody(string chatId, string mediaId) => BuildMessageBody(chatId, "image", new JsonObject { ["media_id"] = mediaId });
}
