namespace OpenClaw.Channels;

/// <summary>Fetches the bytes of an inbound <see cref="Attachment"/> from its platform, never reading past a length
/// cap. One per channel, registered by the adapter (<c>Add&lt;Platform&gt;Channel</c>) as a singleton; the agent uses it
/// inside a turn (never in a webhook) to give images to the model.</summary>
/// <remarks>Implementations stream the response and stop at <c>maxBytes + 1</c> bytes (see
/// <see cref="BoundedDownload"/>), refuse at once when the platform states a larger size, and leave timeouts to the
/// caller's <see cref="CancellationToken"/>.</remarks>
public interface IAttachmentDownloader
{
    /// <summary>Channel name this downloader serves, e.g. <c>telegram</c> (matches <see cref="ChannelMessage.Channel"/>).</summary>
    string Channel { get; }

    /// <summary>Downloads <paramref name="attachment"/>, or says why not.</summary>
    /// <param name="attachment">An attachment of a message received on <see cref="Channel"/>.</param>
    /// <param name="maxBytes">Largest accepted size in bytes (at least 1); a larger file is
    /// <see cref="AttachmentDownloadStatus.TooLarge"/> and is not read past this many bytes.</param>
    /// <param name="cancellationToken">Cancels the HTTP calls (the caller's timeout).</param>
    /// <returns>The bytes and media type, or <see cref="AttachmentDownloadStatus.TooLarge"/> /
    /// <see cref="AttachmentDownloadStatus.Unavailable"/>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<AttachmentDownload> DownloadAsync(Attachment attachment, long maxBytes, CancellationToken cancellationToken);
}
