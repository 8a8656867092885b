namespace OpenClaw.Channels.Adapters;

/// <summary>What the adapters whose attachments carry a download URL (Discord's CDN URL, Slack's
/// <c>url_private_download</c>) do alike: refuse a declared size above the cap without a request, accept only an
/// absolute http(s) URL (and the hosts the platform's credentials may go to), then read the body with
/// <see cref="BoundedDownload.ReadAsync"/>. The platform's authorization is a delegate on the request.</summary>
public static class AttachmentUrlDownload
{
    /// <summary>Downloads <see cref="Attachment.Url"/> of <paramref name="attachment"/> with a length cap.</summary>
    /// <param name="client">The adapter's HttpClient.</param>
    /// <param name="attachment">The attachment; its <see cref="Attachment.SizeBytes"/> (when known) is checked first.</param>
    /// <param name="maxBytes">Largest accepted body, in bytes (at least 1).</param>
    /// <param name="isAllowed">Decides whether an http(s) URL may be fetched (e.g. only the platform's hosts, because the
    /// request carries its token); null accepts every http(s) URL.</param>
    /// <param name="authorize">Adds the platform's credentials to the request (e.g. <c>Authorization: Bearer …</c>);
    /// null sends none.</param>
    /// <param name="cancellationToken">Cancels the request and the read.</param>
    /// <returns>The download: <see cref="AttachmentDownloadStatus.TooLarge"/> without a request when the declared size is
    /// above <paramref name="maxBytes"/>; <see cref="AttachmentDownloadStatus.Unavailable"/> without a request for a
    /// missing, relative, non-http(s) or refused URL; otherwise what <see cref="BoundedDownload.ReadAsync"/> read.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is below 1.</exception>
    public static Task<AttachmentDownload> ReadAsync(
        HttpClient client,
        Attachment attachment,
        long maxBytes,
        Func<Uri, bool>? isAllowed,
        Action<HttpRequestMessage>? authorize,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        if (attachment.SizeBytes > maxBytes)
        {
            return Task.FromResult(AttachmentDownload.TooLarge(attachment.SizeBytes));
        }

        if (!Uri.TryCreate(attachment.Url, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || (isAllowed is not null && !isAllowed(url)))
        {
            return Task.FromResult(AttachmentDownload.Unavailable);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        authorize?.Invoke(request);
        return BoundedDownload.ReadAsync(client, request, maxBytes, attachment.MimeType, cancellationToken);
    }
}
