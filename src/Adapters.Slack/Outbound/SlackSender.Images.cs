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
/// image, or that Slack refuses is posted as a link instead. Streamed edits and slash-command replies keep images as links.
/// Files of the answer (<see cref="OutboundMessage.Files"/>) are uploaded the same way from their bytes, up to
/// <see cref="MaxUploadBytes"/>; a larger one, or one Slack refuses, is posted as its placeholder text
/// (<c>[file: report.pdf, 30 MB — too large to send (limit 20 MB)]</c>); slash-command replies carry the placeholders.</summary>
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
            (part, image, ct) => NativeUpload.SendImageAsync(part, image, MaxUploadBytes, _api.FetchAsync, UploadAsync, onNotAnImage: null, ct),
            (part, file, ct) => NativeUpload.SendFileAsync(part, file, MaxUploadBytes, UploadAsync, SendAsync, "too large to send (limit 20 MB)", "Slack refused it", onPlaceholder: null, ct),
            quoteOnlyFirst: false,
            cancellationToken);

    /// <returns>No ids when the file was shared (a shared file has no message ts to record); null when Slack refused it.</returns>
    private async Task<IReadOnlyList<string>?> UploadAsync(OutboundMessage message, FileUpload upload, CancellationToken cancellationToken)
        => await UploadBytesAsync(message.Target, upload.FileName, upload.MediaType, upload.Data, upload.Alt, cancellationToken).ConfigureAwait(false) ? [] : null;

    /// <summary>Shares <paramref name="data"/> as a Slack file in the target's channel and thread.</summary>
    /// <returns>True when the file was shared; false when Slack refused it.</returns>
    private async Task<bool> UploadBytesAsync(DeliveryTarget target, string fileName, string mediaType, ReadOnlyMemory<byte> data, string alt, CancellationToken cancellationToken)
    {
        try
        {
            var arguments = new Dictionary<string, string>
            {
                ["filename"] = fileName,
                ["length"] = data.Length.ToString(CultureInfo.InvariantCulture),
            };
            if (alt.Length > 0)
            {
                arguments["alt_txt"] = alt.Length > 1000 ? alt[..1000] : alt;
            }

            var ticket = await _api.CallFormAsync("files.getUploadURLExternal", arguments, cancellationToken).ConfigureAwait(false);
            if (!ticket.TryGetProperty("upload_url", out var u) || u.ValueKind != JsonValueKind.String || !Uri.TryCreate(u.GetString(), UriKind.Absolute, out var uploadUrl)
                || !ticket.TryGetProperty("file_id", out var f) || f.GetString() is not { } fileId)
            {
                return false;
            }

            if (!await _api.UploadAsync(uploadUrl, data, mediaType, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var file = new JsonObject { ["id"] = fileId };
            if (alt.Length > 0)
            {
                file["title"] = alt;
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
}
