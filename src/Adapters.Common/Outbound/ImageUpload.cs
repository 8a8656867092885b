namespace OpenClaw.Channels.Adapters;

/// <summary>What the adapters that upload a fetched Markdown image (Discord, Slack) decide alike: whether the fetch gave
/// an image, and the file name to upload it under.</summary>
public static class ImageUpload
{
    /// <summary>The media type of a fetched image: the download succeeded and says <c>image/…</c>.</summary>
    /// <param name="download">The bounded fetch of the image URL.</param>
    /// <returns>The media type, or null when the image goes as a link instead (not fetched, too large, not an image).</returns>
    public static string? MediaTypeOf(AttachmentDownload download)
    {
        ArgumentNullException.ThrowIfNull(download);
        return download.Status == AttachmentDownloadStatus.Downloaded && download.MediaType is { } mediaType
               && mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            ? mediaType
            : null;
    }

    /// <summary>The file name for an image fetched from <paramref name="url"/>: the URL's last segment when it has an
    /// extension and nothing a multipart header cannot carry (<c>\ " CR LF</c>), else <c>image.</c> + the subtype
    /// (<c>jpeg</c> as <c>jpg</c>).</summary>
    /// <param name="url">The image URL.</param>
    /// <param name="mediaType">Its media type, <c>image/…</c>.</param>
    /// <returns>The file name.</returns>
    public static string FileNameOf(Uri url, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(mediaType);
        var last = Uri.UnescapeDataString(url.Segments.Length > 0 ? url.Segments[^1] : string.Empty).Trim('/');
        if (last.Length > 0 && last.Contains('.', StringComparison.Ordinal) && last.IndexOfAny(['\\', '"', '\r', '\n']) < 0)
        {
            return last;
        }

        var subtype = mediaType[(mediaType.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return "image." + (subtype == "jpeg" ? "jpg" : subtype);
    }
}
