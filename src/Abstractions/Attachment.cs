namespace OpenClaw.Channels;

/// <summary>A file or media item carried by a message. Either <see cref="Url"/> or <see cref="PlatformFileId"/> is set.</summary>
/// <param name="Kind">Image, audio, video, file, location or link.</param>
/// <param name="Url">A URL the file can be fetched from, when the platform gives one (Slack <c>url_private</c>, WeChat <c>PicUrl</c>).</param>
/// <param name="PlatformFileId">The platform's file handle (Telegram <c>file_id</c>, WeChat <c>MediaId</c>).</param>
/// <param name="MimeType">MIME type when known, e.g. <c>image/jpeg</c>.</param>
/// <param name="SizeBytes">Size in bytes when known.</param>
/// <param name="Name">File name when known.</param>
public sealed record Attachment(
    AttachmentKind Kind,
    string? Url = null,
    string? PlatformFileId = null,
    string? MimeType = null,
    long? SizeBytes = null,
    string? Name = null)
{
    /// <summary>Smaller renditions of the same image, largest first (Telegram sends each photo in several
    /// <c>PhotoSize</c>s); an <see cref="IAttachmentDownloader"/> takes the largest one within its cap when this one is
    /// larger. Empty for none.</summary>
    public IReadOnlyList<Attachment> SmallerVariants { get; init; } = [];

    /// <summary>Value equality over every field, <see cref="SmallerVariants"/> compared element by element (so an
    /// attachment read back from a store equals the one written).</summary>
    /// <param name="other">The other attachment.</param>
    /// <returns>True when all fields are equal.</returns>
    public bool Equals(Attachment? other)
        => other is not null
            && Kind == other.Kind
            && string.Equals(Url, other.Url, StringComparison.Ordinal)
            && string.Equals(PlatformFileId, other.PlatformFileId, StringComparison.Ordinal)
            && string.Equals(MimeType, other.MimeType, StringComparison.Ordinal)
            && SizeBytes == other.SizeBytes
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && SmallerVariants.SequenceEqual(other.SmallerVariants);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Url, PlatformFileId, MimeType, SizeBytes, Name, SmallerVariants.Count);
}
