namespace OpenClaw.Channels;

/// <summary>Result of <see cref="IAttachmentDownloader.DownloadAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Data">The file's bytes when <see cref="AttachmentDownloadStatus.Downloaded"/>; empty otherwise.</param>
/// <param name="MediaType">The MIME type (the attachment's, else the response's <c>Content-Type</c>), when known.</param>
/// <param name="SizeBytes">The size in bytes when known (the bytes read, else the platform's stated size).</param>
public sealed record AttachmentDownload(
    AttachmentDownloadStatus Status,
    ReadOnlyMemory<byte> Data = default,
    string? MediaType = null,
    long? SizeBytes = null)
{
    /// <summary>A file larger than the cap.</summary>
    /// <param name="sizeBytes">Its size when known.</param>
    /// <returns>A <see cref="AttachmentDownloadStatus.TooLarge"/> result.</returns>
    public static AttachmentDownload TooLarge(long? sizeBytes) => new(AttachmentDownloadStatus.TooLarge, SizeBytes: sizeBytes);

    /// <summary>A file the platform did not serve.</summary>
    public static AttachmentDownload Unavailable { get; } = new(AttachmentDownloadStatus.Unavailable);
}
