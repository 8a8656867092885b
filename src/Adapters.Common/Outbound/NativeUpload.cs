using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Adapters;

/// <summary>What the adapters that upload images and files as native attachments (Discord, Slack) decide alike, as the
/// image and file steps of <see cref="SegmentedSend.SendAsync"/>: an image is fetched with a cap, checked
/// (<see cref="ImageUpload.MediaTypeOf"/>), named (<see cref="ImageUpload.FileNameOf"/>) and uploaded, else sent as a
/// link; a file of the answer is uploaded when it fits the platform's limit, else posted as its placeholder text.</summary>
public static class NativeUpload
{
    /// <summary>Uploads a Markdown image of an answer.</summary>
    /// <param name="part">The message part the image belongs to (its target).</param>
    /// <param name="image">The image.</param>
    /// <param name="maxBytes">Largest image fetched and uploaded, in bytes.</param>
    /// <param name="fetch">The adapter's bounded fetch of a public URL (no token sent).</param>
    /// <param name="upload">Uploads the file; returns the ids it created (empty when the platform gives none), or
    /// null when the platform refused it.</param>
    /// <param name="onNotAnImage">Told the download status when the fetch gave no image (not fetched, too large, not an
    /// image); null when the adapter does not log it.</param>
    /// <param name="cancellationToken">Cancels the fetch and the upload.</param>
    /// <returns>The ids, or null to send the image as a link instead.</returns>
    public static async Task<IReadOnlyList<string>?> SendImageAsync(
        OutboundMessage part,
        MarkdownImage image,
        long maxBytes,
        Func<Uri, long, CancellationToken, Task<AttachmentDownload>> fetch,
        Func<OutboundMessage, FileUpload, CancellationToken, Task<IReadOnlyList<string>?>> upload,
        Action<string>? onNotAnImage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(upload);
        var download = await fetch(image.Url, maxBytes, cancellationToken).ConfigureAwait(false);
        if (ImageUpload.MediaTypeOf(download) is not { } mediaType)
        {
            onNotAnImage?.Invoke(download.Status.ToString());
            return null;
        }

        return await upload(part, new FileUpload(ImageUpload.FileNameOf(image.Url, mediaType), mediaType, download.Data, image.Alt), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a file of the answer when it is at most <paramref name="maxBytes"/>; a larger one, or one the
    /// platform refuses, is sent as its placeholder text (<see cref="OutboundFile.Placeholder"/>) in plain text.</summary>
    /// <param name="message">The message part the file belongs to.</param>
    /// <param name="file">The file.</param>
    /// <param name="maxBytes">The platform's upload limit, in bytes.</param>
    /// <param name="upload">Uploads the file; returns the ids it created, or null when the platform refused it.</param>
    /// <param name="sendText">Sends the placeholder text.</param>
    /// <param name="tooLargeNote">The placeholder's note for a file above the limit, e.g. <c>too large to send (limit 20 MB)</c>.</param>
    /// <param name="refusedNote">The placeholder's note for a refused upload, e.g. <c>Slack refused it</c>.</param>
    /// <param name="onPlaceholder">Told the note when the placeholder is sent; null when the adapter does not log it.</param>
    /// <param name="cancellationToken">Cancels the upload and the send.</param>
    /// <returns>The ids of the upload or of the placeholder message.</returns>
    public static async Task<IReadOnlyList<string>> SendFileAsync(
        OutboundMessage message,
        OutboundFile file,
        long maxBytes,
        Func<OutboundMessage, FileUpload, CancellationToken, Task<IReadOnlyList<string>?>> upload,
        Func<OutboundMessage, CancellationToken, Task<SendResult>> sendText,
        string tooLargeNote,
        string refusedNote,
        Action<string>? onPlaceholder,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(sendText);
        if (file.SizeBytes <= maxBytes
            && await upload(message, new FileUpload(file.Name, file.MediaType, file.Data, file.Alt ?? string.Empty), cancellationToken).ConfigureAwait(false) is { } ids)
        {
            return ids;
        }

        var note = file.SizeBytes > maxBytes ? tooLargeNote : refusedNote;
        onPlaceholder?.Invoke(note);
        return (await sendText(message with { Text = file.Placeholder(note), Format = TextFormat.Plain }, cancellationToken).ConfigureAwait(false)).PlatformMessageIds;
    }
}
