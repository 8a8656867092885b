using System.Net.Http.Headers;

namespace OpenClaw.Channels;

/// <summary>Reads an HTTP response body into memory with a length cap, for <see cref="IAttachmentDownloader"/>s.</summary>
public static class BoundedDownload
{
    /// <summary>Sends <paramref name="request"/> (response headers first) and reads the body when it fits in
    /// <paramref name="maxBytes"/>: a <c>Content-Length</c> above the cap is refused without reading the body, and a body
    /// without one is read to at most <paramref name="maxBytes"/> + 1 bytes, then abandoned.</summary>
    /// <param name="client">The HttpClient (the adapter's, so its logging and handlers apply).</param>
    /// <param name="request">The GET request, with any authorization header set; disposed here.</param>
    /// <param name="maxBytes">Largest accepted body, in bytes (at least 1).</param>
    /// <param name="mediaType">The MIME type already known from the platform, preferred over the response's <c>Content-Type</c>.</param>
    /// <param name="cancellationToken">Cancels the request and the read.</param>
    /// <returns><see cref="AttachmentDownloadStatus.Downloaded"/> with the bytes; <see cref="AttachmentDownloadStatus.TooLarge"/>;
    /// or <see cref="AttachmentDownloadStatus.Unavailable"/> for a non-success status or a network error.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is below 1 or above <see cref="int.MaxValue"/> - 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<AttachmentDownload> ReadAsync(
        HttpClient client,
        HttpRequestMessage request,
        long maxBytes,
        string? mediaType,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, int.MaxValue - 1L);
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                return AttachmentDownload.Unavailable;
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    return AttachmentDownload.Unavailable;
                }

                var length = response.Content.Headers.ContentLength;
                if (length > maxBytes)
                {
                    return AttachmentDownload.TooLarge(length);
                }

                var type = mediaType ?? MediaTypeOf(response.Content.Headers.ContentType);
                try
                {
                    var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (stream.ConfigureAwait(false))
                    {
                        var buffer = new byte[(int)Math.Max(1, Math.Min(maxBytes + 1, length ?? 64 * 1024))];
                        var total = 0;
                        while (true)
                        {
                            if (total == buffer.Length)
                            {
                                if (total > maxBytes)
                                {
                                    return AttachmentDownload.TooLarge(length);
                                }

                                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
                            }

                            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                            if (read == 0)
                            {
                                break;
                            }

                            total += read;
                        }

                        if (total > maxBytes)
                        {
                            return AttachmentDownload.TooLarge(length);
                        }

                        return new AttachmentDownload(AttachmentDownloadStatus.Downloaded, buffer.AsMemory(0, total), type, total);
                    }
                }
                catch (HttpRequestException)
                {
                    return AttachmentDownload.Unavailable;
                }
                catch (IOException)
                {
                    return AttachmentDownload.Unavailable;
                }
            }
        }
    }

    private static string? MediaTypeOf(MediaTypeHeaderValue? contentType)
        => contentType?.MediaType is { Length: > 0 } t && !t.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase) ? t : null;
}
