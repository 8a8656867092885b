using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Slack;

/// <summary>Markdown images in an answer are uploaded as Slack files into the same channel and thread, between the text
/// parts, in order: the hub fetches the image (no token sent, at most <see cref="MaxUploadBytes"/>), then
/// <c>files.getUploadURLExternal</c> (filename, length, alt_txt) → <c>POST</c> the bytes to the <c>upload_url</c> →
/// <c>files.completeUploadExternal</c> (<c>files=[{id,title}]</c>, <c>channel_id</c>, <c>thread_ts</c>)
/// (docs.slack.dev/messaging/working-with-files#uploading_files). An image that is too large, cannot be fetched, is not an
/// image, or that Slack refuses is posted as a link instead. Streamed edits and slash-command replies keep images as links.</summary>
public sealed partial class SlackSender
{
    /// <summary>Largest image the hub fetches and uploads, in bytes (20 MiB; Slack itself takes files up to 1 GB, but the
    /// hub holds the image in memory).</summary>
    public const long MaxUploadBytes = 20L * 1024 * 1024;

    private Task<SendResult> SendWithImagesAsync(OutboundMessage message, IReadOnlyList<OutboundSegment> segments, CancellationToken cancellationToken)
        => SegmentedSend.SendAsync(
            message,
            segments,
            SendAsync,
            // A shared file has no message ts to record.
            async (part, image, ct) => await UploadAsync(part.Target, image, ct).ConfigureAwait(false) ? [] : null,
            quoteOnlyFirst: false,
            cancellationToken);

    /// <returns>True when the file was shared; false when the image goes as a link instead.</returns>
    private async Task<bool> UploadAsync(DeliveryTarget target, MarkdownImage image, CancellationToken cancellationToken)
    {
        var download = await _api.FetchAsync(image.Url, MaxUploadBytes, cancellationToken).ConfigureAwait(false);
        if (download.Status != AttachmentDownloadStatus.Downloaded || download.MediaType is not { } mediaType
            || !mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var fileName = FileNameOf(image.Url, mediaType);
        try
        {
            var arguments = new Dictionary<string, string>
            {
                ["filename"] = fileName,
                ["length"] = download.Data.Length.ToString(CultureInfo.InvariantCulture),
            };
            if (image.Alt.Length > 0)
            {
                arguments["alt_txt"] = image.Alt.Length > 1000 ? image.Alt[..1000] : image.Alt;
            }

            var ticket = await _api.CallFormAsync("files.getUploadURLExternal", arguments, cancellationToken).ConfigureAwait(false);
            if (!ticket.TryGetProperty("upload_url", out var u) || u.ValueKind != JsonValueKind.String || !Uri.TryCreate(u.GetString(), UriKind.Absolute, out var uploadUrl)
                || !ticket.TryGetProperty("file_id", out var f) || f.GetString() is not { } fileId)
            {
                return false;
            }

            if (!await _api.UploadAsync(uploadUrl, download.Data, mediaType, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var file = new JsonObject { ["id"] = fileId };
            if (image.Alt.Length > 0)
            {
                file["title"] = image.Alt;
            }

            var complete = new JsonObject { ["files"] = new JsonArray { file }, ["channel_id"] = target.ChatId };
            var threadTs = target.ThreadId ?? (target.ChatKind != ChatKind.Direct ? target.ReplyToId : null);
            if (!string.IsNullOrEmpty(threadTs))
            {
                complete["thread_ts"] = threadTs;
            }

            await _api.CallAsync("files.completeUploadExternal", complete, target.ChatId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SlackApiException ex) when (!ex.IsTransient)
        {
            return false;
        }
    }

    private static string FileNameOf(Uri url, string mediaType)
    {
        var last = Uri.UnescapeDataString(url.Segments.Length > 0 ? url.Segments[^1] : string.Empty).Trim('/');
        if (last.Length > 0 && last.Contains('.', StringComparison.Ordinal))
        {
            return last;
        }

        var subtype = mediaType[(mediaType.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return "image." + (subtype == "jpeg" ? "jpg" : subtype);
    }
}
