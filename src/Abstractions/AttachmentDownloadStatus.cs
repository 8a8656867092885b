namespace OpenClaw.Channels;

/// <summary>Outcome of <see cref="IAttachmentDownloader.DownloadAsync"/>.</summary>
public enum AttachmentDownloadStatus
{
    /// <summary>The bytes were read completely (<see cref="AttachmentDownload.Data"/>).</summary>
    Downloaded,

    /// <summary>The file is larger than the cap; it was not read past the cap.</summary>
    TooLarge,

    /// <summary>The platform did not serve the file (no such file, no URL, access denied, an HTTP error).</summary>
    Unavailable,
}
